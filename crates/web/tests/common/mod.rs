//! The test application: a fresh database (SQLite or PostgreSQL, see `store::testing`), the
//! real router driven in process, and builders for users, sessions and collaborations.
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use domain::access::Role;
use domain::collaboration::{CollaborationInput, NewCollaboration};
use domain::ids::CollaborationId;
use http_body_util::BodyExt;
use store::user::{NewUser, User};
use store::{Actor, Db};
use tower::ServiceExt;

pub use reisgenoot_web as web;

pub const HOST: &str = "reisgenoot.test";
pub const PASSWORD: &str = "paars konijn fietst naar Zwolle";

pub struct TestApp {
    pub db: Db,
    pub router: Router,
    pub state: web::AppState,
    password_hash: String,
    /// Whether every request first works out the publications still due, as the server's
    /// background task (`web::publication::keep_up`) does every few seconds: tests write
    /// through the store, which only marks publications due.
    catch_up: std::sync::atomic::AtomicBool,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default()
    }
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    /// The session secret a sign-in set, if any.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix(&format!("{}=", web::session::COOKIE)).map(|rest| rest.split(';').next().unwrap_or_default().to_string()))
            .filter(|v| !v.is_empty())
    }
}

pub fn actor() -> Actor {
    Actor::system("test")
}

/// How a request authenticates.
#[derive(Clone, Debug)]
pub enum Auth {
    None,
    Cookie(String),
    Token(String),
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_config(web::Config::default()).await
    }

    /// The application with the operator's settings, such as lower publication floors.
    pub async fn with_config(config: web::Config) -> TestApp {
        TestApp::with_db_and_config(store::testing::fresh_db().await, config).await
    }

    /// The application over a database the test opened and migrated itself.
    pub async fn with_db(db: Db) -> TestApp {
        TestApp::with_db_and_config(db, web::Config::default()).await
    }

    async fn with_db_and_config(db: Db, config: web::Config) -> TestApp {
        let state = web::AppState::new(db.clone(), config);
        let router = web::router(state.clone());
        // One real Argon2id hash, shared, so that creating many users stays fast.
        let password_hash = web::password::hash(PASSWORD.to_string()).await.expect("hash");
        TestApp { db, router, state, password_hash, catch_up: std::sync::atomic::AtomicBool::new(true) }
    }

    /// From now on requests find the publications as the writes left them: no background
    /// refresh runs before them (what a reader sees between a write and its refresh).
    pub fn hold_publications(&self) {
        self.catch_up.store(false, std::sync::atomic::Ordering::SeqCst);
    }

    /// Works out every publication still due, as the background task does.
    pub async fn publish_due(&self) -> usize {
        web::publication::refresh_due(&self.state, None).await.expect("publications")
    }

    pub async fn user(&self, email: &str) -> User {
        self.db.create_user(&actor(), &NewUser { email, name: email, password_hash: &self.password_hash, is_admin: false }).await.expect("user")
    }

    /// An instance administrator with a confirmed second factor.
    pub async fn admin(&self, email: &str) -> (User, Vec<u8>) {
        let user = self.db.create_user(&actor(), &NewUser { email, name: email, password_hash: &self.password_hash, is_admin: true }).await.expect("admin");
        let secret = b"12345678901234567890".to_vec();
        self.db.set_totp_secret(user.id(), &domain::totp::base32_encode(&secret)).await.expect("secret");
        self.db.enable_totp(&actor(), user.id(), 0).await.expect("enable");
        (self.db.user_by_id(user.id()).await.expect("reload"), secret)
    }

    /// A signed-in session for `user`, as the cookie value.
    pub async fn session(&self, user: &User) -> String {
        let secret = web::session::new_secret();
        self.db.create_session(&web::session::digest(&secret), user.id, false).await.expect("session");
        secret
    }

    pub async fn token(&self, user: &User) -> String {
        let token = format!("{}{}", web::session::TOKEN_PREFIX, web::session::new_secret());
        self.db.create_api_token(&actor(), user.id, "test", &web::session::digest(&token)).await.expect("token");
        token
    }

    pub async fn collaboration(&self, name: &str, beheerder: &User) -> CollaborationId {
        let input = CollaborationInput {
            name: name.into(),
            scale: "gemeente".into(),
            age_focus: "beide".into(),
            area_codes: vec!["GM0344".into()],
            ..Default::default()
        };
        let new = NewCollaboration::parse(&input, 2024).expect("valid");
        self.db.create_collaboration(&actor(), &new, beheerder.id()).await.expect("collaboration").id
    }

    /// Replaces the 2024 classification with only `codes` and the wijken and gemeenten they lie
    /// in, named as in the built-in list: a world in which these areas make up their wijken and
    /// gemeenten whole, for tests of what is shown of figures rather than of completeness.
    pub async fn classification(&self, codes: &[&str]) {
        let mut wanted = std::collections::BTreeSet::new();
        for code in codes {
            let code = domain::area::AreaCode::parse(code).expect("code");
            wanted.insert(code.gemeente());
            if code.level() == domain::area::AreaLevel::Buurt {
                wanted.insert(domain::disclosure::wijk_of(&code));
            }
            wanted.insert(code);
        }
        let areas: Vec<domain::area::Area> = domain::area::builtin().into_iter().filter(|a| wanted.contains(&a.code)).collect();
        assert_eq!(areas.len(), wanted.len(), "every area is in the built-in classification");
        self.db.load_areas(&actor(), 2024, &areas).await.expect("areas");
    }

    /// Submits and approves every draft of `indicator` in `period`, as a lid and a steward would.
    pub async fn approve(&self, c: CollaborationId, indicator: i64, period: &str) {
        use domain::indicator::MeasurementStatus;
        self.db.move_measurements(&actor(), c, indicator, period, MeasurementStatus::Ingediend).await.expect("submit");
        self.db.move_measurements(&actor(), c, indicator, period, MeasurementStatus::Goedgekeurd).await.expect("approve");
    }

    pub async fn member(&self, c: CollaborationId, user: &User, role: Role) {
        self.db.set_member(&actor(), c, user.id(), role).await.expect("member");
    }

    /// Sends a request as a same-site browser (or API client) would.
    pub async fn send(&self, method: Method, path: &str, auth: &Auth, body: Option<(&str, String)>) -> Reply {
        self.send_with(method, path, auth, body, &[("origin", &format!("http://{HOST}")), ("sec-fetch-site", "same-origin")]).await
    }

    pub async fn send_with(&self, method: Method, path: &str, auth: &Auth, body: Option<(&str, String)>, extra: &[(&str, &str)]) -> Reply {
        self.send_body(method, path, auth, body.map(|(t, b)| (t, Body::from(b))), extra).await
    }

    /// Posts raw bytes (a file) as a same-site client would.
    pub async fn post_bytes(&self, path: &str, auth: &Auth, content_type: &str, bytes: Vec<u8>) -> Reply {
        let extra = [("origin", format!("http://{HOST}")), ("sec-fetch-site", "same-origin".to_string())];
        let extra: Vec<(&str, &str)> = extra.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.send_body(Method::POST, path, auth, Some((content_type, Body::from(bytes))), &extra).await
    }

    async fn send_body(&self, method: Method, path: &str, auth: &Auth, body: Option<(&str, Body)>, extra: &[(&str, &str)]) -> Reply {
        let (status, headers, bytes) = self.send_raw(method, path, auth, body, extra).await;
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).to_string() }
    }

    /// The body of a GET as bytes (a file).
    pub async fn get_bytes(&self, path: &str, auth: &Auth) -> Vec<u8> {
        self.send_raw(Method::GET, path, auth, None, &[("origin", &format!("http://{HOST}")), ("sec-fetch-site", "same-origin")]).await.2.to_vec()
    }

    async fn send_raw(
        &self,
        method: Method,
        path: &str,
        auth: &Auth,
        body: Option<(&str, Body)>,
        extra: &[(&str, &str)],
    ) -> (StatusCode, HeaderMap, axum::body::Bytes) {
        if self.catch_up.load(std::sync::atomic::Ordering::SeqCst) {
            self.publish_due().await;
        }
        let mut request = Request::builder().method(method).uri(path).header("host", HOST);
        match auth {
            Auth::None => {}
            Auth::Cookie(secret) => request = request.header("cookie", format!("{}={secret}", web::session::COOKIE)),
            Auth::Token(token) => request = request.header("authorization", format!("Bearer {token}")),
        }
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        let request = match body {
            Some((content_type, body)) => request.header("content-type", content_type).body(body),
            None => request.body(Body::empty()),
        }
        .expect("request");
        let response = self.router.clone().oneshot(request).await.expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        (status, headers, bytes)
    }

    pub async fn get(&self, path: &str, auth: &Auth) -> Reply {
        self.send(Method::GET, path, auth, None).await
    }

    pub async fn post_form(&self, path: &str, auth: &Auth, form: &str) -> Reply {
        self.send(Method::POST, path, auth, Some(("application/x-www-form-urlencoded", form.to_string()))).await
    }

    pub async fn json(&self, method: Method, path: &str, auth: &Auth, body: serde_json::Value, extra: &[(&str, &str)]) -> Reply {
        self.send_with(method, path, auth, Some(("application/json", body.to_string())), extra).await
    }
}
