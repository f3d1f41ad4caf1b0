//! Starting the server: open the database, load demo data if asked, listen, serve until a
//! shutdown signal.

use std::io::Write;
use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::app::{AppState, Settings, app};
use crate::config::ServeConfig;
use crate::db::{Database, DbError};
use crate::kiosks::pairing;
use crate::{community_time, demo, error::AppError, horizon, shutdown};

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("cannot prepare the data: {0}")]
    Data(#[from] AppError),
    #[error(transparent)]
    SecretKey(#[from] crate::secret_key::SecretKeyError),
    #[error("cannot listen on {addr}: {source} (is another server using that port? set --addr or JIAYUAN_ADDR)")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the server stopped with an error: {0}")]
    Serve(#[source] std::io::Error),
}

pub async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    let db = Database::open(config.database.database_url.as_deref(), &config.database.data_dir).await?;
    let secret_key = config.database.secret_key()?;
    let mut staff_pin = config.staff_pin;
    let mut demo_pairing = None;
    if config.demo_data {
        demo::load_if_empty(&db, community_time::today(config.utc_offset)).await?;
        staff_pin = staff_pin.or_else(|| Some(demo::STAFF_PIN.to_owned()));
        let code = pairing::create(&db, &secret_key, demo::KIOSK_ROOM, config.pairing_code_minutes).await?;
        demo_pairing = Some(code.code);
    }
    // Before listening, so the first pull already reaches four weeks ahead.
    horizon::advance(&db, community_time::today(config.utc_offset)).await?;
    horizon::keep_moving(db.clone(), config.utc_offset);
    if staff_pin.is_none() {
        tracing::warn!("no staff PIN (--staff-pin or JIAYUAN_STAFF_PIN): kiosks' staff panels open without one");
    }
    if !config.kiosk_dir.join("index.html").is_file() {
        tracing::warn!(
            "no kiosk build in {}: run `cargo xtask run`, or set --kiosk-dir",
            config.kiosk_dir.display()
        );
    }
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServeError::Bind { addr: config.addr, source })?;
    let addr = listener.local_addr().map_err(ServeError::Serve)?;
    let shutdown = shutdown::listen();
    tracing::info!(%addr, database = db.backend.name(), "listening");
    // Operators (and the end-to-end tests, which start on port 0) read these lines.
    let mut lines = vec!["Jiayuan is running.".to_owned(), format!("  Kiosk: http://{addr}/"), format!("  Staff: http://{addr}/staff")];
    if let Some(code) = demo_pairing {
        lines.push(format!(
            "  Demo kiosk: open the staff panel (tap the name 家园 five times), type pairing code {code} (good for {} minutes)",
            config.pairing_code_minutes
        ));
        if staff_pin.as_deref() == Some(demo::STAFF_PIN) {
            lines.push(format!("  Staff PIN: {}", demo::STAFF_PIN));
        }
    }
    // One write, and no panic if nobody reads stdout any more: the server goes on serving.
    let _ = writeln!(std::io::stdout(), "{}", lines.join("\n"));
    let settings = Settings {
        kiosk_dir: config.kiosk_dir,
        utc_offset: config.utc_offset,
        staff_pin,
        secret_key,
        pairing_code_minutes: config.pairing_code_minutes,
        trusted_proxies: config.trusted_proxies,
    };
    let state = AppState::new(db, settings);
    // With each connection's address: pairing attempts are counted per client.
    axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(ServeError::Serve)
}
