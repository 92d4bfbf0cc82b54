//! `reisgenoot`: the one binary. Serves the application and carries the operator's commands
//! (migrate, demo, accounts, backup and restore, moving to PostgreSQL, audit verification).

mod demo;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use store::{Actor, Db};

#[derive(Parser)]
#[command(name = "reisgenoot", version, about = "Reisgenoot: samenwerken aan de pedagogische basis")]
struct Cli {
    /// Where the data lives: sqlite://path/to/file.db or postgres://user@host/db.
    #[arg(long, global = true, env = "REISGENOOT_DATABASE_URL", default_value = "sqlite://data/reisgenoot.db", hide_env_values = true)]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application and the API.
    Serve {
        /// The address to listen on.
        #[arg(long, env = "REISGENOOT_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// On an empty database, create the demo collaboration "Samen Opgroeien Lindeveen".
        #[arg(long)]
        demo: bool,
        /// Trust X-Forwarded-For (only behind a reverse proxy that sets it).
        #[arg(long, env = "REISGENOOT_TRUST_PROXY")]
        trust_proxy: bool,
        /// The largest upload an import accepts, such as 20M or 100MiB; larger ones get 413.
        #[arg(long, env = "REISGENOOT_MAX_UPLOAD", default_value = "20M", value_parser = web::import::parse_size)]
        max_upload: usize,
        #[command(flatten)]
        floors: FloorArgs,
        #[command(flatten)]
        answers: AnswerArgs,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Create the demo collaboration on an empty database, without serving.
    Demo,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Write a consistent backup (one SQLite file) while the application may be running.
    Backup { file: PathBuf },
    /// Restore a backup into the (empty) database named by --database-url.
    Restore { file: PathBuf },
    /// Database operations.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Import data from files.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
}

/// The publication floors of this installation: no indicator's rules, scan round or
/// case-review minimum may be set weaker, and stored ones below them are published as if at them.
#[derive(clap::Args)]
struct FloorArgs {
    /// Counts are rounded to a multiple of at least this.
    #[arg(long, env = "REISGENOOT_MIN_ROUNDING", default_value_t = 5.0)]
    min_rounding: f64,
    /// Counts below at least this are secret.
    #[arg(long, env = "REISGENOOT_MIN_SECRET_BELOW", default_value_t = 8.0)]
    min_secret_below: f64,
    /// A ratio or mean needs at least this denominator or n.
    #[arg(long, env = "REISGENOOT_MIN_DENOMINATOR", default_value_t = 100.0)]
    min_denominator: f64,
    /// The smallest group of scan answers or case reviews whose figures are shown.
    #[arg(long, env = "REISGENOOT_MIN_GROUP", default_value_t = 5)]
    min_group: usize,
}

/// How many answers a questionnaire link takes in a window; beyond them answers are refused
/// with 429 and counted on the round's page.
#[derive(clap::Args)]
struct AnswerArgs {
    /// Answers through one link in a window.
    #[arg(long, env = "REISGENOOT_ANSWERS_PER_LINK", default_value_t = 300)]
    answers_per_link: u32,
    /// Answers from one client address through one link in a window.
    #[arg(long, env = "REISGENOOT_ANSWERS_PER_CLIENT", default_value_t = 20)]
    answers_per_client: u32,
    /// The window, in seconds.
    #[arg(long, env = "REISGENOOT_ANSWER_WINDOW", default_value_t = 600)]
    answer_window: u64,
}

impl AnswerArgs {
    fn limits(&self) -> Result<web::survey_limits::Limits> {
        if self.answers_per_link == 0 || self.answers_per_client == 0 || self.answer_window == 0 {
            bail!("antwoordlimieten: per link, per adres en het venster zijn minstens 1");
        }
        Ok(web::survey_limits::Limits {
            per_link: self.answers_per_link,
            per_client: self.answers_per_client,
            window: std::time::Duration::from_secs(self.answer_window),
        })
    }
}

impl FloorArgs {
    fn floors(&self) -> Result<domain::measure::Floors> {
        if !(self.min_rounding >= 1.0 && self.min_secret_below >= 0.0 && self.min_denominator >= 1.0 && self.min_group >= 3) {
            bail!("ondergrenzen: afronden minstens 1, geheim onder minstens 0, noemer minstens 1, groep minstens 3");
        }
        Ok(domain::measure::Floors {
            round_to: self.min_rounding,
            secret_below: self.min_secret_below,
            min_denominator: self.min_denominator,
            min_group: self.min_group,
        })
    }
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import measurements (CSV or XLSX) into a collaboration, all or nothing. Columns:
    /// indicator, gebied, periode, teller and, for ratios and means, noemer.
    Metingen {
        file: PathBuf,
        /// The collaboration's number (as in its web address).
        #[arg(long)]
        samenwerking: i64,
        /// Replace stored values that differ from the file (approved values never are).
        #[arg(long = "replace", alias = "vervangen")]
        replace: bool,
    },
    /// Load a CBS area classification (code, level, name, parent_code) for a year.
    Gebieden {
        file: PathBuf,
        #[arg(long)]
        jaar: i32,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is read from REISGENOOT_PASSWORD or standard input.
    Add {
        email: String,
        #[arg(long)]
        name: String,
        /// Make the account an instance administrator (a second factor is then required).
        #[arg(long)]
        admin: bool,
    },
    /// Set a new password (from REISGENOOT_PASSWORD or standard input); ends all sessions.
    Passwd { email: String },
    /// Disable an account; its sessions and API tokens end at once.
    Disable { email: String },
    /// Create a personal API token for an account and print it (shown only this once).
    Token {
        email: String,
        /// What the token is for, as shown under Mijn account → API-tokens.
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum DbCommand {
    /// Copy a whole instance into an empty database, e.g. from SQLite to PostgreSQL.
    Copy {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the audit log's chain, its seals and its checkpoint; report every change or gap.
    Verify,
    /// Add a new key to the key file; it seals the log from now on (rotation, or a new start
    /// after a lost key: the entries under a lost key can then no longer be checked).
    NewKey,
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::try_from_env("REISGENOOT_LOG").unwrap_or_else(|_| "info,sqlx=warn".into())).init();
    let cli = Cli::parse();
    match cli.command {
        Command::Db { command: DbCommand::Copy { from, to } } => copy(&from, &to).await,
        Command::Restore { file } => restore(&cli.database_url, &file).await,
        command => {
            let db = Db::connect(&cli.database_url).await.context("opening the database")?;
            db.migrate().await.context("migrating the database")?;
            let writes = !matches!(command, Command::Backup { .. } | Command::Audit { .. });
            let location = seal(&cli.database_url, &db, writes).await?;
            run(command, db, location).await
        }
    }
}

/// Finds the audit log's keys for the database at `url` and installs them. A command that
/// writes creates the key file on first use (mode 0600) and opens the key's segment of the
/// log; a log already sealed with a key that cannot be found is refused.
async fn seal(url: &str, db: &Db, writes: bool) -> Result<store::audit::Location> {
    let location = store::audit::Location::for_url(url);
    let mut keys = location.keys().map_err(anyhow::Error::msg)?;
    if keys.is_empty() && writes && location.key_file.is_some() {
        if db.audit_all().await?.iter().any(|e| e.names_key().is_some()) {
            bail!(
                "het logboek is verzegeld met een sleutel, maar {} bestaat niet: zet het sleutelbestand terug of wijs het aan met \
                 REISGENOOT_AUDIT_KEY_FILE (zie docs/operations.md); is de sleutel verloren, begin dan een nieuwe met `reisgenoot audit new-key`",
                location.describe()
            );
        }
        keys = location.add_key(&web::session::new_secret()).map_err(anyhow::Error::msg)?;
        eprintln!("Nieuwe sleutel voor het logboek in {}; bewaar er een kopie van, apart van de database en haar back-ups.", location.describe());
    }
    store::audit::install(store::audit::Sealing { keys: keys.clone(), checkpoint: location.checkpoint.clone() });
    if writes && !keys.is_empty() {
        match db.open_key_segment(&Actor::system("systeem"), &keys, false).await {
            Err(store::StoreError::Conflict("audit_key_unknown")) => bail!(
                "{} bevat niet de sleutel waarmee dit logboek verzegeld is (zie docs/operations.md); is die sleutel verloren, \
                 begin dan een nieuwe met `reisgenoot audit new-key`",
                location.describe()
            ),
            other => {
                other?;
            }
        }
    }
    Ok(location)
}

/// Checks the audit log with the keys and the checkpoint at `location`; prints each problem.
async fn verify_audit(db: &Db, location: &store::audit::Location) -> Result<()> {
    use domain::audit::Break;
    let keys = location.keys().map_err(anyhow::Error::msg)?;
    let entries = db.audit_all().await?;
    let mut breaks = domain::audit::verify(&entries, &keys);
    let keyed = entries.iter().any(|e| e.names_key().is_some());
    if keyed || !keys.is_empty() {
        match location.checkpoint.as_deref().map(store::audit::read_checkpoint).transpose() {
            Ok(checkpoint) => breaks.extend(domain::audit::compare(&entries, &keys, checkpoint.flatten().as_ref())),
            Err(_) => breaks.push(Break::CheckpointForged),
        }
    }
    let checkpoint = location.checkpoint.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    for b in &breaks {
        match b {
            Break::Altered { seq } => println!("regel {seq}: gewijzigd na het schrijven (het zegel klopt niet)"),
            Break::Gap { seq } => println!("regel {seq}: sluit niet aan op de vorige (verwijderd of ingevoegd)"),
            Break::UnknownKey { seq, fingerprint } => {
                println!("regel {seq}: verzegeld met sleutel {fingerprint}, die niet in {} staat; de regels erna zijn niet te controleren", location.describe())
            }
            Break::KeyEntryMissing => {
                println!("er is een sleutel, maar het logboek heeft geen sleutelregel: het verzegelde deel is verwijderd of zonder sleutel herschreven")
            }
            Break::KeyedSinceMoved { seq } => println!("regel {seq}: hier begon volgens het controlepunt de sleutel, maar de sleutelregel ontbreekt"),
            Break::Truncated { last, checkpoint } => {
                println!("het logboek eindigt bij regel {last}, maar het controlepunt kent regel {checkpoint}: de laatste regels zijn verwijderd")
            }
            Break::CheckpointMismatch { seq } => {
                println!("regel {seq}: verschilt van het controlepunt (de keten is opnieuw opgebouwd of de regel ontbreekt)")
            }
            Break::CheckpointForged => println!("het controlepunt {checkpoint} is onleesbaar of niet met een bekende sleutel verzegeld"),
            Break::CheckpointMissing => println!("het controlepunt {checkpoint} ontbreekt"),
        }
    }
    if breaks.is_empty() {
        let sealed = if keyed { ", verzegeld en gelijk aan het controlepunt" } else { "" };
        println!("Logboek in orde: {} regels, keten ongebroken{sealed}.", entries.len());
        Ok(())
    } else {
        bail!("het logboek is aangetast: {} probleem/problemen", breaks.len())
    }
}

async fn run(command: Command, db: Db, location: store::audit::Location) -> Result<()> {
    match command {
        Command::Serve { bind, demo, trust_proxy, max_upload, floors, answers } => {
            let floors = floors.floors()?;
            let answers = answers.limits()?;
            if demo {
                demo::create_if_empty(&db).await?;
            }
            serve(db, bind, web::Config { trust_proxy, floors, max_upload, answers, ..web::Config::default() }).await
        }
        Command::Migrate => {
            println!("De database is bijgewerkt.");
            Ok(())
        }
        Command::Demo => demo::create_if_empty(&db).await,
        Command::User { command } => user(&db, command).await,
        Command::Backup { file } => {
            let report = store::copy::backup(&db, &file).await.context("writing the backup")?;
            print_report("Back-up geschreven naar", &file.display().to_string(), &report)
        }
        Command::Audit { command: AuditCommand::Verify } => verify_audit(&db, &location).await,
        Command::Audit { command: AuditCommand::NewKey } => {
            let keys = location.add_key(&web::session::new_secret()).map_err(anyhow::Error::msg)?;
            store::audit::install(store::audit::Sealing { keys: keys.clone(), checkpoint: location.checkpoint.clone() });
            let seq = db.open_key_segment(&Actor::system("systeem"), &keys, true).await?;
            let fingerprint = keys.signing().map(|k| k.fingerprint()).unwrap_or_default();
            println!("Nieuwe sleutel {fingerprint} in {}; hij verzegelt het logboek vanaf regel {}.", location.describe(), seq.unwrap_or_default());
            Ok(())
        }
        Command::Import { command } => import(&db, command).await,
        Command::Db { .. } | Command::Restore { .. } => unreachable!("handled before connecting"),
    }
}

async fn import(db: &Db, command: ImportCommand) -> Result<()> {
    let actor = Actor::system("cli import");
    let lang = web::i18n::Lang::Nl;
    match command {
        ImportCommand::Metingen { file, samenwerking, replace } => {
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let collaboration = domain::ids::CollaborationId(samenwerking);
            let mut bar = Progress::new("metingen");
            let outcome =
                web::import::measurements(db, &actor, collaboration, bytes, replace, true, &mut |done, total| bar.show(done, total)).await.map_err(explain)?;
            bar.finish();
            match outcome {
                web::import::Outcome::Stored(plan) => {
                    println!("{} regels gelezen: {} nieuw, {} vervangen, {} ongewijzigd.", plan.rows, plan.new.len(), plan.replaced.len(), plan.unchanged);
                    Ok(())
                }
                web::import::Outcome::Refused(refusal) => {
                    let lines = web::import::explain(lang, &refusal);
                    for line in &lines {
                        eprintln!("{line}");
                    }
                    bail!("niets opgeslagen: {} probleem/problemen in {}", lines.len(), file.display())
                }
            }
        }
        ImportCommand::Gebieden { file, jaar } => {
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let table = domain::table::read(&bytes, domain::table::Limits::default()).map_err(|e| anyhow::anyhow!(lang.t(e.message()).to_string()))?;
            match domain::area::hierarchy(&table) {
                Ok(areas) => {
                    let n = db.load_areas(&actor, jaar, &areas).await?;
                    println!("Gebiedsindeling {jaar} geladen: {n} gebieden.");
                    Ok(())
                }
                Err(problems) => {
                    for p in &problems {
                        eprintln!("{}", web::import::describe(lang, p));
                    }
                    bail!("niets geladen: {} probleem/problemen in {}", problems.len(), file.display())
                }
            }
        }
    }
}

/// A progress bar on standard error (`indicatif`), drawn only when standard error is a
/// terminal: a log or a pipe gets the summary, not the bar.
struct Progress {
    bar: indicatif::ProgressBar,
}

impl Progress {
    fn new(what: &'static str) -> Progress {
        use std::io::IsTerminal;
        let bar = if std::io::stderr().is_terminal() { indicatif::ProgressBar::new(0) } else { indicatif::ProgressBar::hidden() };
        if let Ok(style) = indicatif::ProgressStyle::with_template("[{bar:30}] {percent:>3}% {pos}/{len} {msg}") {
            bar.set_style(style.progress_chars("#> "));
        }
        bar.set_message(what);
        Progress { bar }
    }

    fn show(&mut self, done: usize, total: usize) {
        self.bar.set_length(total as u64);
        self.bar.set_position(done as u64);
    }

    fn finish(&self) {
        self.bar.finish();
    }
}

async fn serve(db: Db, bind: SocketAddr, config: web::Config) -> Result<()> {
    let state = web::AppState::new(db.clone(), config);
    // Every publication still due (after a crash, a command-line write or the demo): a moment
    // for them before the first request, then beside the server every few seconds.
    let start = std::time::Instant::now();
    web::publication::settle_all(&state).await;
    tracing::info!("publications ready to serve in {:.2} s", start.elapsed().as_secs_f64());
    tokio::spawn(web::publication::keep_up(state.clone()));
    let app = web::router(state);
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("binding {bind}"))?;
    let addr = listener.local_addr()?;
    println!("Reisgenoot draait op http://{addr}/");
    tokio::spawn(sweep_expired(db.clone()));
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    db.close().await;
    Ok(())
}

/// Removes expired sessions and old failed sign-in records every few minutes.
async fn sweep_expired(db: Db) {
    loop {
        let now = store::now();
        let _ = db.delete_expired_sessions(now - web::session::IDLE_SECONDS, now - web::session::ABSOLUTE_SECONDS).await;
        let _ = db.prune_login_failures(now - 24 * 3600).await;
        tokio::time::sleep(std::time::Duration::from_secs(300)).await;
    }
}

fn read_password() -> Result<String> {
    if let Ok(password) = std::env::var("REISGENOOT_PASSWORD") {
        return Ok(password);
    }
    eprintln!("Wachtwoord (minstens 12 tekens), gevolgd door Enter:");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn explain(err: web::error::AppError) -> anyhow::Error {
    match err {
        web::error::AppError::Invalid(invalid) => {
            let lang = web::i18n::Lang::Nl;
            let reasons: Vec<String> = invalid.errors.iter().map(|e| format!("{}: {}", e.field, lang.error(e))).collect();
            anyhow::anyhow!(reasons.join("; "))
        }
        other => anyhow::anyhow!(other.to_string()),
    }
}

async fn user(db: &Db, command: UserCommand) -> Result<()> {
    let actor = Actor::system("cli");
    match command {
        UserCommand::Add { email, name, admin } => {
            let password = read_password()?;
            let user = web::accounts::create_account(db, &actor, &email, &name, &password, admin).await.map_err(explain)?;
            println!(
                "Account {} aangemaakt{}.",
                user.email,
                if admin { " (beheerder van de installatie; tweede factor instellen bij de eerste keer inloggen)" } else { "" }
            );
        }
        UserCommand::Passwd { email } => {
            let user = db.user_by_email(&email).await?.context("no account with that e-mail")?;
            let password = read_password()?;
            domain::password::check(&password, &user.email).map_err(|e| explain(e.into()))?;
            let hash = web::password::hash(password).await?;
            db.set_password(&actor, user.id(), &hash).await?;
            println!("Wachtwoord van {} gewijzigd; alle sessies en API-tokens zijn beëindigd.", user.email);
        }
        UserCommand::Disable { email } => {
            let user = db.user_by_email(&email).await?.context("no account with that e-mail")?;
            db.set_disabled(&actor, user.id(), true).await?;
            println!("Account {} geblokkeerd; sessies en API-tokens zijn beëindigd.", user.email);
        }
        UserCommand::Token { email, name } => {
            let user = db.user_by_email(&email).await?.context("no account with that e-mail")?;
            if user.disabled {
                bail!("het account {} is geblokkeerd", user.email);
            }
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 100 {
                bail!("geef het token een naam van 1 tot 100 tekens");
            }
            let token = format!("{}{}", web::session::TOKEN_PREFIX, web::session::new_secret());
            db.create_api_token(&actor, user.id, name, &web::session::digest(&token)).await?;
            println!("{token}");
        }
    }
    Ok(())
}

fn print_report(what: &str, target: &str, report: &store::copy::Report) -> Result<()> {
    println!("{what} {target}");
    for (table, rows) in &report.rows {
        println!("  {table:<22} {rows:>8} rijen");
    }
    println!(
        "  integriteit: {}; logboek: {}",
        report.integrity,
        if report.audit_breaks == 0 { "keten ongebroken".to_string() } else { format!("{} breuken", report.audit_breaks) }
    );
    if report.integrity != "ok" || report.audit_breaks > 0 {
        bail!("de controle na afloop vond fouten");
    }
    Ok(())
}

fn progress() -> impl FnMut(&str, usize) {
    |table: &str, rows: usize| eprintln!("  {table}: {rows} rijen gekopieerd")
}

/// After a copy or a restore: the keys are placed where the new database looks for them
/// (when that is a file that does not exist yet), and its checkpoint is written.
async fn seal_copy(target: &Db, url: &str, keys: &domain::audit::Keyring) -> Result<()> {
    let location = store::audit::Location::for_url(url);
    if keys.is_empty() {
        return Ok(());
    }
    if let Some(file) = location.key_file.as_ref().filter(|f| location.key_env.is_none() && !f.exists()) {
        for key in &keys.keys {
            location.add_key(&key.to_hex()).map_err(anyhow::Error::msg)?;
        }
        println!("  sleutels van het logboek geschreven naar {}", file.display());
    }
    if let Some(path) = &location.checkpoint {
        target.write_checkpoint(keys, path).await?;
    }
    Ok(())
}

async fn copy(from: &str, to: &str) -> Result<()> {
    let source = Db::connect(from).await.context("opening the source")?;
    source.migrate().await?;
    let keys = store::audit::Location::for_url(from).keys().map_err(anyhow::Error::msg)?;
    store::audit::install(store::audit::Sealing { keys: keys.clone(), checkpoint: None });
    let target = Db::connect(to).await.context("opening the target")?;
    let report = store::copy::copy_all(&source, &target, &mut progress()).await.context("copying")?;
    seal_copy(&target, to, &keys).await?;
    print_report("Gekopieerd naar", "de nieuwe database", &report)
}

async fn restore(url: &str, file: &std::path::Path) -> Result<()> {
    let location = store::audit::Location::for_url(url);
    let keys = location.keys().map_err(anyhow::Error::msg)?;
    store::audit::install(store::audit::Sealing { keys: keys.clone(), checkpoint: None });
    let target = Db::connect(url).await.context("opening the target database")?;
    let report = match store::copy::restore(file, &target, &mut progress()).await {
        Err(store::StoreError::Conflict("audit_key_unknown")) => bail!(
            "de back-up is verzegeld met een sleutel die niet in {} staat: zet het sleutelbestand van de oude installatie daar \
             (of wijs het aan met REISGENOOT_AUDIT_KEY_FILE) en probeer opnieuw; er is niets teruggezet",
            location.describe()
        ),
        other => other.context("restoring (the target database must be empty)")?,
    };
    seal_copy(&target, url, &keys).await?;
    print_report("Teruggezet uit", &file.display().to_string(), &report)
}
