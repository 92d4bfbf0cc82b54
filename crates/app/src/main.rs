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
    /// Check the hash chain of the audit log and report every change or gap.
    Verify,
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
            run(command, db).await
        }
    }
}

async fn run(command: Command, db: Db) -> Result<()> {
    match command {
        Command::Serve { bind, demo, trust_proxy } => {
            if demo {
                demo::create_if_empty(&db).await?;
            }
            serve(db, bind, trust_proxy).await
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
        Command::Audit { command: AuditCommand::Verify } => {
            let entries = db.audit_all().await?;
            let breaks = domain::audit::verify(&entries);
            for b in &breaks {
                match b {
                    domain::audit::Break::Altered { seq } => println!("regel {seq}: gewijzigd na het schrijven"),
                    domain::audit::Break::Gap { seq } => println!("regel {seq}: sluit niet aan op de vorige (verwijderd of ingevoegd)"),
                }
            }
            if breaks.is_empty() {
                println!("Logboek in orde: {} regels, keten ongebroken.", entries.len());
                Ok(())
            } else {
                bail!("het logboek is aangetast: {} breuk(en)", breaks.len())
            }
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
                web::import::measurements(db, &actor, collaboration, bytes, replace, &mut |done, total| bar.show(done, total)).await.map_err(explain)?;
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

/// A progress bar on standard error: redrawn in place on a terminal, a line per tenth otherwise.
struct Progress {
    what: &'static str,
    terminal: bool,
    shown: usize,
}

impl Progress {
    fn new(what: &'static str) -> Progress {
        use std::io::IsTerminal;
        Progress { what, terminal: std::io::stderr().is_terminal(), shown: usize::MAX }
    }

    fn show(&mut self, done: usize, total: usize) {
        let percent = (done * 100).checked_div(total).unwrap_or(100);
        let step = if self.terminal { percent } else { percent / 10 * 10 };
        if step == self.shown {
            return;
        }
        self.shown = step;
        let filled = percent * 30 / 100;
        let bar = format!("[{}{}] {percent:>3}% {done}/{total} {}", "#".repeat(filled), " ".repeat(30 - filled), self.what);
        if self.terminal {
            eprint!("\r{bar}");
        } else {
            eprintln!("{bar}");
        }
    }

    fn finish(&self) {
        if self.terminal && self.shown != usize::MAX {
            eprintln!();
        }
    }
}

async fn serve(db: Db, bind: SocketAddr, trust_proxy: bool) -> Result<()> {
    let state = web::AppState::new(db.clone(), web::Config { trust_proxy });
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
            let reasons: Vec<String> = invalid.errors.iter().map(|e| format!("{}: {}", e.field, lang.t(e.code))).collect();
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
            let hash = web::password::hash(password).await.map_err(anyhow::Error::msg)?;
            db.set_password(&actor, user.id(), &hash).await?;
            println!("Wachtwoord van {} gewijzigd; alle sessies zijn beëindigd.", user.email);
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

async fn copy(from: &str, to: &str) -> Result<()> {
    let source = Db::connect(from).await.context("opening the source")?;
    source.migrate().await?;
    let target = Db::connect(to).await.context("opening the target")?;
    let report = store::copy::copy_all(&source, &target, &mut progress()).await.context("copying")?;
    print_report("Gekopieerd naar", "de nieuwe database", &report)
}

async fn restore(url: &str, file: &std::path::Path) -> Result<()> {
    let target = Db::connect(url).await.context("opening the target database")?;
    let report = store::copy::restore(file, &target, &mut progress()).await.context("restoring (the target database must be empty)")?;
    print_report("Teruggezet uit", &file.display().to_string(), &report)
}
