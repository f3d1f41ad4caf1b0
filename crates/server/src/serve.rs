//! Starting the server: open the database, load demo data if asked, listen, serve until a
//! shutdown signal.

use std::io::Write;
use std::net::SocketAddr;

use axum_server::tls_rustls::RustlsConfig;
use tokio::net::TcpListener;

use crate::config::ServeConfig;
use crate::router::app;
use crate::shutdown;
use crate::state::{AppState, Settings};
use jiayuan_community::db::{Database, DbError};
use jiayuan_community::error::AppError;
use jiayuan_community::kiosks::pairing;
use jiayuan_community::{backups, community_time, demo, horizon};

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("cannot prepare the data: {0}")]
    Data(#[from] AppError),
    #[error(transparent)]
    SecretKey(#[from] jiayuan_community::secret_key::SecretKeyError),
    #[error("cannot listen on {addr}: {source} (is another server using that port? set --addr or JIAYUAN_ADDR)")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot use the message webhook: {0}")]
    Gateway(String),
    #[error("the server stopped with an error: {0}")]
    Serve(#[source] std::io::Error),
    #[error(transparent)]
    Backup(#[from] jiayuan_community::backups::BackupError),
    #[error(transparent)]
    Transport(#[from] crate::transport::TransportError),
    #[error("cannot serve HTTPS with the certificate {cert} and key {key}: {source}")]
    Tls {
        cert: std::path::PathBuf,
        key: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
}

pub async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    // Decided first: a server that would serve passwords in clear does not start at all.
    let transport = crate::transport::choose(crate::transport::Choice {
        addr: config.addr,
        cert: config.tls_cert.as_deref(),
        key: config.tls_key.as_deref(),
        tls_auto: config.tls_auto,
        allow_plain_http: config.allow_plain_http,
        data_dir: &config.database.data_dir,
    })?;
    let db = Database::open(config.database.database_url.as_deref(), &config.database.data_dir).await?;
    // One server per embedded database, and no restore under a running one.
    let _running = match db.backend {
        jiayuan_community::db::Backend::Sqlite => Some(backups::RunningLock::take(&config.database.data_dir)?),
        jiayuan_community::db::Backend::Postgres => None,
    };
    if jiayuan_community::reports::presence::make_again_unless_current(&db, config.utc_offset).await? {
        tracing::info!("made the reports' summaries from the records");
    }
    let secret_key = config.database.secret_key()?;
    let mut staff_pin = config.staff_pin;
    let mut demo_pairing = None;
    let mut demo_administrator = None;
    let mut demo_left_out = false;
    if config.demo_data {
        let today = community_time::today(config.utc_offset);
        if demo::load_with_past(&db, today, config.demo_weeks).await? && config.demo_weeks > 0 {
            // Not this server's own work: counted apart from what /metrics shows.
            let metrics = jiayuan_community::metrics::Metrics::new();
            let lived = jiayuan_community::demo_past::live(
                &db,
                &secret_key,
                today,
                config.utc_offset,
                config.demo_weeks,
                &metrics,
            )
            .await?;
            tracing::info!(
                records = lived.records,
                sessions = lived.sessions,
                "the demo community's past weeks, lived"
            );
        }
    }
    // A database that holds other communities and not the demo's is left as it is: the demo's
    // residents never mix into a real roster, and the demo's pairing code has no room to name.
    if config.demo_data && !demo::is_present(&db).await? {
        demo_left_out = true;
    } else if config.demo_data {
        staff_pin = staff_pin.or_else(|| Some(demo::STAFF_PIN.to_owned()));
        let code = pairing::create(&db, &secret_key, demo::KIOSK_ROOM, config.pairing_code_minutes).await?;
        demo_pairing = Some(code.code);
        demo_administrator = Some(demo::ensure_administrator(&db).await?);
    }
    // Before listening, so the first pull already reaches four weeks ahead.
    horizon::advance(&db, community_time::today(config.utc_offset)).await?;
    horizon::keep_moving(db.clone(), config.utc_offset);
    backups::keep_nightly(db.clone(), config.database.data_dir.clone(), config.utc_offset);
    jiayuan_community::reports::days::keep_in_background(db.clone(), config.utc_offset);
    jiayuan_community::draws::keep_drawing(db.clone());
    if let Some(url) = &config.message_webhook {
        let gateway = crate::messages::Gateway::new(url).map_err(ServeError::Gateway)?;
        crate::messages::keep_sending(db.clone(), gateway, config.utc_offset);
        tracing::info!(%url, "text messages go to the relay");
    }
    if staff_pin.is_none() {
        tracing::warn!("no staff PIN (--staff-pin or JIAYUAN_STAFF_PIN): kiosks' staff panels open without one");
    }
    if !config.kiosk_dir.join("index.html").is_file() {
        tracing::warn!("no kiosk build in {}: run `cargo xtask run`, or set --kiosk-dir", config.kiosk_dir.display());
    }
    let listener =
        TcpListener::bind(config.addr).await.map_err(|source| ServeError::Bind { addr: config.addr, source })?;
    let addr = listener.local_addr().map_err(ServeError::Serve)?;
    let shutdown = shutdown::listen();
    let tls = match transport {
        Some(crate::transport::Tls { cert, key }) => {
            // The one crypto provider this build has; a second install (tests) changes nothing.
            let _ = rustls::crypto::ring::default_provider().install_default();
            let tls = RustlsConfig::from_pem_file(&cert, &key).await.map_err(|source| ServeError::Tls {
                cert: cert.clone(),
                key: key.clone(),
                source,
            })?;
            Some(tls)
        }
        None => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(%addr, database = db.backend.name(), scheme, "listening");
    // Operators (and the end-to-end tests, which start on port 0) read these lines.
    let mut lines = vec![
        "Jiayuan is running.".to_owned(),
        format!("  Kiosk: {scheme}://{addr}/"),
        format!("  Staff console: {scheme}://{addr}/console"),
    ];
    if let Some(code) = demo_pairing {
        lines.push(format!(
            "  Demo kiosk: open the staff panel (tap the name 家园 five times), type pairing code {code} (good for {} minutes)",
            config.pairing_code_minutes
        ));
        if staff_pin.as_deref() == Some(demo::STAFF_PIN) {
            lines.push(format!("  Staff PIN: {}", demo::STAFF_PIN));
        }
    }
    match demo_administrator {
        Some(Some(password)) => lines.push(format!(
            "  Console: sign in as {} with one-time password {password} (you choose your own next)",
            demo::ADMINISTRATOR
        )),
        Some(None) => lines.push(format!("  Console: sign in as {} with the password you chose", demo::ADMINISTRATOR)),
        None => {}
    }
    if demo_left_out {
        lines.push("  Demo data: not loaded, because this database already holds other communities".to_owned());
    }
    // One write, and no panic if nobody reads stdout any more: the server goes on serving.
    let _ = writeln!(std::io::stdout(), "{}", lines.join("\n"));
    let settings = Settings {
        data_dir: config.database.data_dir.clone(),
        kiosk_dir: config.kiosk_dir,
        utc_offset: config.utc_offset,
        staff_pin,
        secret_key,
        pairing_code_minutes: config.pairing_code_minutes,
        trusted_proxies: config.trusted_proxies,
        metrics_from: config.metrics_from,
        https: tls.is_some(),
    };
    let state = AppState::new(db, settings);
    // With each connection's address: pairing attempts are counted per client.
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    match tls {
        None => axum::serve(listener, service).with_graceful_shutdown(shutdown).await.map_err(ServeError::Serve),
        Some(tls) => {
            let handle = axum_server::Handle::new();
            let stopping = handle.clone();
            tokio::spawn(async move {
                shutdown.await;
                stopping.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
            });
            let listener = listener.into_std().map_err(ServeError::Serve)?;
            axum_server::from_tcp_rustls(listener, tls)
                .map_err(ServeError::Serve)?
                .handle(handle)
                .serve(service)
                .await
                .map_err(ServeError::Serve)
        }
    }
}
