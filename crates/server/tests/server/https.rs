//! HTTPS a community can set up: the server makes a private certificate authority and a
//! certificate for the names it answers on, serves TLS itself with it, and a client that
//! trusts the authority reaches it by that name.

use std::process::Command;

use jiayuan_server::certificates::{CA_CERT, SERVER_CERT, SERVER_KEY};
use serde_json::Value;

use crate::support::TempDir;

#[tokio::test]
async fn the_server_serves_https_with_the_certificate_it_made_for_a_lan_name() {
    let data_dir = TempDir::new("https");
    let made = Command::new(env!("CARGO_BIN_EXE_jiayuan-server"))
        .args(["make-certificates", "--name", "jiayuan.lan", "--ip", "192.168.1.10"])
        .env("JIAYUAN_DATA_DIR", data_dir.path())
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&made.stdout);
    assert!(made.status.success(), "{printed}");
    assert!(
        printed.contains("certutil -d sql:$HOME/.pki/nssdb"),
        "tells how to trust the authority on Debian: {printed}"
    );
    assert!(printed.contains("certutil -addstore -f Root"), "and on Windows");
    assert!(printed.contains("Android"), "and on Android");
    let tls = data_dir.path().join("tls");

    let running = crate::binary::start(
        &data_dir,
        &[
            ("JIAYUAN_TLS_CERT", tls.join(SERVER_CERT).to_str().unwrap()),
            ("JIAYUAN_TLS_KEY", tls.join(SERVER_KEY).to_str().unwrap()),
        ],
    );
    assert!(running.kiosk_url.starts_with("https://127.0.0.1:"), "{}", running.kiosk_url);
    let port = running.kiosk_url.trim_end_matches('/').rsplit(':').next().unwrap().to_owned();

    let _ = rustls::crypto::ring::default_provider().install_default();
    let authority = reqwest::Certificate::from_pem(&std::fs::read(tls.join(CA_CERT)).unwrap()).unwrap();
    let kiosk = reqwest::Client::builder()
        .add_root_certificate(authority)
        .resolve("jiayuan.lan", format!("127.0.0.1:{port}").parse().unwrap())
        .build()
        .unwrap();
    let health: Value =
        kiosk.get(format!("https://jiayuan.lan:{port}/api/health")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");

    let stranger = reqwest::Client::builder()
        .resolve("jiayuan.lan", format!("127.0.0.1:{port}").parse().unwrap())
        .build()
        .unwrap();
    assert!(
        stranger.get(format!("https://jiayuan.lan:{port}/api/health")).send().await.is_err(),
        "not trusted without the authority"
    );
    let other_name = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&std::fs::read(tls.join(CA_CERT)).unwrap()).unwrap())
        .resolve("elsewhere.lan", format!("127.0.0.1:{port}").parse().unwrap())
        .build()
        .unwrap();
    assert!(
        other_name.get(format!("https://elsewhere.lan:{port}/api/health")).send().await.is_err(),
        "only the names it was made for"
    );
}
