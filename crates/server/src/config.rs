//! How operators configure the server: flags, or environment variables with the `JIAYUAN_`
//! prefix (flags win).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "jiayuan-server",
    version,
    about = "Jiayuan's community server",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Without a subcommand the server serves, with these settings.
    #[command(flatten)]
    pub serve: ServeConfig,
}

impl Cli {
    pub fn into_command(self) -> Command {
        self.command.unwrap_or(Command::Serve(self.serve))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the kiosk and the staff console (the default).
    Serve(ServeConfig),
    /// Make a one-time code that pairs a kiosk with a room (good for 30 minutes unless
    /// --minutes says otherwise).
    PairingCode {
        /// The room the kiosk stands in, e.g. room-seniors.
        #[arg(long)]
        room: String,
        /// How long the code stays good.
        #[arg(long, env = "JIAYUAN_PAIRING_CODE_MINUTES", default_value_t = jiayuan_community::kiosks::pairing::DEFAULT_LIFETIME_MINUTES,
              value_parser = clap::value_parser!(u32).range(1..=1440))]
        minutes: u32,
        /// The community's offset from UTC, for the time the code stops working.
        #[arg(long, env = "JIAYUAN_UTC_OFFSET", default_value = jiayuan_community::community_time::DEFAULT_UTC_OFFSET,
              value_parser = jiayuan_community::community_time::parse_utc_offset)]
        utc_offset: time::UtcOffset,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Import a site's rooms, residents, activities and recurring activities from CSV files (any
    /// of them; see README).
    Import {
        /// The site (living base) the files describe; made if new.
        #[arg(long)]
        site: String,
        #[arg(long)]
        rooms: Option<PathBuf>,
        #[arg(long)]
        residents: Option<PathBuf>,
        #[arg(long)]
        activities: Option<PathBuf>,
        /// Activities that repeat every week; sessions are made for the coming four weeks.
        #[arg(long)]
        recurring: Option<PathBuf>,
        /// The community's offset from UTC, which decides what "today" is.
        #[arg(long, env = "JIAYUAN_UTC_OFFSET", default_value = jiayuan_community::community_time::DEFAULT_UTC_OFFSET,
              value_parser = jiayuan_community::community_time::parse_utc_offset)]
        utc_offset: time::UtcOffset,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Make a staff account for the console and print its one-time password (changed at
    /// first sign-in). The first administrator is made this way.
    AddStaff {
        /// The name they sign in with, e.g. wang.li.
        #[arg(long)]
        id: String,
        /// Their name as colleagues know it, e.g. 王丽.
        #[arg(long)]
        name: String,
        /// administrator, staff or viewer.
        #[arg(long, default_value = "staff")]
        role: String,
        /// A site they work for (repeat for several); made if new.
        #[arg(long = "site", required = true)]
        sites: Vec<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Give a staff account a new one-time password (it signs the account out everywhere).
    ResetPassword {
        #[arg(long)]
        id: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// List paired kiosks.
    Kiosks {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Make the reports' summaries again from the records (the server does it by itself when
    /// started with another --utc-offset than they were made with).
    RebuildSummaries {
        /// The community's offset from UTC, which cuts records into days and months.
        #[arg(long, env = "JIAYUAN_UTC_OFFSET", default_value = jiayuan_community::community_time::DEFAULT_UTC_OFFSET,
              value_parser = jiayuan_community::community_time::parse_utc_offset)]
        utc_offset: time::UtcOffset,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Work a draw (摇号) out again from its published seed and its entries, and print the
    /// order: anyone can check the result staff were given. Exits with an error when the order
    /// kept differs.
    Draw {
        /// The activity (session) whose seats are drawn.
        #[arg(long)]
        activity: String,
        /// Check the order kept by the draw against the one worked out again (the only mode).
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// List the records a kiosk sent, as applied: number, id, action, resident, activity, when it
    /// happened by the kiosk's clock (ms), when it was applied, the answer. Tab-separated.
    Records {
        #[arg(long)]
        kiosk: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Make the community's certificate authority (once) and a certificate for the names and
    /// addresses the server answers on, for HTTPS on the LAN (see docs/kiosk-setup.md).
    MakeCertificates {
        /// A name kiosks reach the server by, e.g. jiayuan.lan (repeat for several).
        #[arg(long = "name")]
        names: Vec<String>,
        /// An address kiosks reach the server at, e.g. 192.168.1.10 (repeat for several).
        #[arg(long = "ip")]
        addresses: Vec<std::net::IpAddr>,
        /// Where to write them; default `tls` in the data folder.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Make a new authority bound to these names, even if there is one (each kiosk must
        /// then trust the new ca.crt): for names the old one may not vouch for.
        #[arg(long)]
        new_authority: bool,
        /// Folder for the embedded database and other state.
        #[arg(long, env = "JIAYUAN_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
    },
    /// Copy the embedded database, consistently, while the server runs (SQLite; for
    /// PostgreSQL use pg_dump). The server also keeps one a night in the data folder.
    Backup {
        /// Where to write it; default `backups/` in the data folder, named for now.
        #[arg(long)]
        to: Option<PathBuf>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Put a backup back as the embedded database, with the server stopped. The database it
    /// replaces is kept beside it. Kiosks then send again what the backup is missing.
    Restore {
        backup: PathBuf,
        /// Folder for the embedded database and other state.
        #[arg(long, env = "JIAYUAN_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
    },
    /// Revoke a kiosk: the server refuses it from its next request on.
    RevokeKiosk {
        kiosk_id: String,
        /// Why, for the action log (a kiosk stolen, broken, replaced).
        #[arg(long, default_value = "revoked from the command line")]
        reason: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Where the server's data is, and its secret key.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Folder for the embedded database and other state.
    #[arg(long, env = "JIAYUAN_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// `postgres://…` for PostgreSQL; unset means SQLite in the data folder.
    #[arg(long, env = "JIAYUAN_DATABASE_URL")]
    pub database_url: Option<String>,

    /// The server's secret key (64 hex digits); default `secret.key` in the data folder, made
    /// there on first use. Several servers on one PostgreSQL must share the same file.
    #[arg(long, env = "JIAYUAN_SECRET_FILE")]
    pub secret_file: Option<PathBuf>,
}

impl DatabaseArgs {
    pub fn secret_key(
        &self,
    ) -> Result<jiayuan_community::secret_key::SecretKey, jiayuan_community::secret_key::SecretKeyError> {
        jiayuan_community::secret_key::SecretKey::load_or_create(&self.data_dir, self.secret_file.as_deref())
    }
}

#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Address to listen on; port 0 picks a free port (printed at start).
    #[arg(long, env = "JIAYUAN_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    #[command(flatten)]
    pub database: DatabaseArgs,

    /// The kiosk's Trunk build (`dist/`).
    #[arg(long, env = "JIAYUAN_KIOSK_DIR", default_value = "dist")]
    pub kiosk_dir: PathBuf,

    /// The community's offset from UTC, which decides what "today" is.
    #[arg(long, env = "JIAYUAN_UTC_OFFSET", default_value = jiayuan_community::community_time::DEFAULT_UTC_OFFSET,
          value_parser = jiayuan_community::community_time::parse_utc_offset)]
    pub utc_offset: time::UtcOffset,

    /// `json` writes one JSON object per log line, for log collectors.
    #[arg(long, env = "JIAYUAN_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,

    /// The 4-8 digit PIN that opens the staff panel on this site's kiosks (they keep only a
    /// digest). With --demo-data and no PIN, the demo PIN 2468.
    #[arg(long, env = "JIAYUAN_STAFF_PIN", value_parser = parse_staff_pin)]
    pub staff_pin: Option<String>,

    /// Load a demo community (rooms, weekly activities, residents) into an empty database.
    #[arg(long, env = "JIAYUAN_DEMO_DATA")]
    pub demo_data: bool,

    /// How many weeks before today the demo community arrives having lived (visits, sign-ups,
    /// check-ins, ratings, volunteers' hours), so every report has something to show; 0 for
    /// none.
    #[arg(long, env = "JIAYUAN_DEMO_WEEKS", default_value_t = 4, value_parser = clap::value_parser!(u32).range(0..=12))]
    pub demo_weeks: u32,

    /// How long a pairing code stays good, in minutes.
    #[arg(long, env = "JIAYUAN_PAIRING_CODE_MINUTES", default_value_t = jiayuan_community::kiosks::pairing::DEFAULT_LIFETIME_MINUTES,
          value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub pairing_code_minutes: u32,

    /// Serve HTTPS with this certificate (PEM; with --tls-key). Without it, plain HTTP: fine on
    /// loopback and behind a reverse proxy that terminates TLS.
    #[arg(long, env = "JIAYUAN_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The certificate's private key (PEM).
    #[arg(long, env = "JIAYUAN_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Without --tls-cert, serve HTTPS with the community's own certificates in the data
    /// folder's `tls`, made at the first start for jiayuan.lan, this machine's name and address
    /// (as `make-certificates` makes them; kiosks then trust `tls/ca.crt`).
    #[arg(long, env = "JIAYUAN_TLS_AUTO")]
    pub tls_auto: bool,

    /// Send residents a text message when their place changes, through the operator's relay
    /// at this URL: a JSON POST per message (phone, words, idempotency key), from which the
    /// relay sends the SMS. Without it, kiosks and the console's call list tell them.
    #[arg(long, env = "JIAYUAN_MESSAGE_WEBHOOK")]
    pub message_webhook: Option<String>,

    /// Serve plain HTTP on an address other than loopback. Passwords and session cookies
    /// then cross the network readable: only behind a reverse proxy that serves TLS.
    #[arg(long, env = "JIAYUAN_ALLOW_PLAIN_HTTP")]
    pub allow_plain_http: bool,

    /// Addresses (comma-separated) that may read /metrics; loopback when unset.
    #[arg(long, env = "JIAYUAN_METRICS_FROM", value_delimiter = ',')]
    pub metrics_from: Vec<std::net::IpAddr>,

    /// Reverse proxies (comma-separated addresses) whose X-Forwarded-For names the client.
    /// Nobody else's is believed.
    #[arg(long, env = "JIAYUAN_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Logs to stderr; `RUST_LOG` (e.g. `jiayuan_server=debug`) overrides the default level.
pub fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

fn parse_staff_pin(pin: &str) -> Result<String, String> {
    jiayuan_domain::identity::normalise(jiayuan_domain::identity::IdentityKind::StaffPin, pin)
        .ok_or_else(|| "the staff PIN must be 4 to 8 digits".to_owned())
}
