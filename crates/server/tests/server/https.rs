//! HTTPS a community can set up: the server makes a private certificate authority and a
//! certificate for the names it answers on, serves TLS itself with it, and a client that
//! trusts the authority reaches it by that name.

use std::process::Command;

use jiayuan_server::certificates::{CA_CERT, CA_KEY, SERVER_CERT, SERVER_KEY};
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

/// A certificate for `name` signed with the community authority's key, as a thief of that key
/// would sign one (not through `make-certificates`, which refuses names it was not made for).
fn signed_with_stolen_key(tls: &std::path::Path, name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    use rcgen::{BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair};
    let stolen = KeyPair::from_pem(&std::fs::read_to_string(tls.join(CA_KEY)).unwrap()).unwrap();
    let mut authority = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "Jiayuan community certificate authority");
    dn.push(DnType::OrganizationName, "Jiayuan 家园");
    authority.distinguished_name = dn;
    authority.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let issuer = Issuer::new(authority, stolen);
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec![name.to_owned()]).unwrap().signed_by(&key, &issuer).unwrap();
    let (cert_path, key_path) = (tls.join(format!("{name}.crt")), tls.join(format!("{name}.key")));
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    (cert_path, key_path)
}

/// Whether a client that trusts the community authority in `tls` reaches a server that
/// presents the certificate for `name` signed with its key.
async fn trusted(data_dir: &TempDir, tls: &std::path::Path, name: &str) -> bool {
    let (cert, key) = signed_with_stolen_key(tls, name);
    let running = crate::binary::start(
        data_dir,
        &[("JIAYUAN_TLS_CERT", cert.to_str().unwrap()), ("JIAYUAN_TLS_KEY", key.to_str().unwrap())],
    );
    let port = running.kiosk_url.trim_end_matches('/').rsplit(':').next().unwrap().to_owned();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let kiosk = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&std::fs::read(tls.join(CA_CERT)).unwrap()).unwrap())
        .resolve(name, format!("127.0.0.1:{port}").parse().unwrap())
        .build()
        .unwrap();
    kiosk.get(format!("https://{name}:{port}/api/health")).send().await.is_ok()
}

#[tokio::test]
async fn a_stolen_authority_key_cannot_vouch_for_a_name_the_authority_was_not_made_for() {
    let data_dir = TempDir::new("https-bound");
    let made = Command::new(env!("CARGO_BIN_EXE_jiayuan-server"))
        .args(["make-certificates", "--name", "jiayuan.lan", "--ip", "192.168.1.10"])
        .env("JIAYUAN_DATA_DIR", data_dir.path())
        .output()
        .unwrap();
    assert!(made.status.success());
    let tls = data_dir.path().join("tls");
    assert!(trusted(&data_dir, &tls, "kiosks.jiayuan.lan").await, "signed so, a name it was made for is trusted");
    assert!(!trusted(&data_dir, &tls, "bank.example").await, "a bank's name is not, key or no key");

    let again = Command::new(env!("CARGO_BIN_EXE_jiayuan-server"))
        .args(["make-certificates", "--name", "bank.example"])
        .env("JIAYUAN_DATA_DIR", data_dir.path())
        .output()
        .unwrap();
    assert!(!again.status.success(), "not through make-certificates either");
    assert!(String::from_utf8_lossy(&again.stderr).contains("--new-authority"));
}

#[test]
fn plain_http_on_every_interface_is_refused_unless_the_operator_says_so() {
    let data_dir = TempDir::new("plain-http");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiayuan-server"))
        .env("JIAYUAN_ADDR", "0.0.0.0:0")
        .env("JIAYUAN_DATA_DIR", data_dir.path())
        .env_remove("JIAYUAN_DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(status.is_some_and(|status| !status.success()), "it must not serve passwords in clear: {stderr}");
    assert!(stderr.contains("--allow-plain-http") && stderr.contains("--tls-auto"), "{stderr}");

    let allowed =
        crate::binary::start(&data_dir, &[("JIAYUAN_ADDR", "0.0.0.0:0"), ("JIAYUAN_ALLOW_PLAIN_HTTP", "true")]);
    assert!(allowed.kiosk_url.starts_with("http://"), "{}", allowed.kiosk_url);
}

#[tokio::test]
async fn installed_so_the_server_makes_its_certificates_at_first_start_and_says_https_only() {
    let data_dir = TempDir::new("tls-auto");
    let running = crate::binary::start(&data_dir, &[("JIAYUAN_ADDR", "0.0.0.0:0"), ("JIAYUAN_TLS_AUTO", "true")]);
    assert!(running.kiosk_url.starts_with("https://"), "{}", running.kiosk_url);
    let port = running.kiosk_url.trim_end_matches('/').rsplit(':').next().unwrap().to_owned();
    let tls = data_dir.path().join("tls");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let authority = reqwest::Certificate::from_pem(&std::fs::read(tls.join(CA_CERT)).unwrap()).unwrap();
    let kiosk = reqwest::Client::builder()
        .add_root_certificate(authority)
        .resolve("jiayuan.lan", format!("127.0.0.1:{port}").parse().unwrap())
        .build()
        .unwrap();
    for url in [format!("https://jiayuan.lan:{port}/api/health"), format!("https://127.0.0.1:{port}/api/health")] {
        let response = kiosk.get(&url).send().await.unwrap();
        assert_eq!(response.status(), 200, "{url}");
        let hsts = response.headers().get("strict-transport-security").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(hsts.as_deref(), Some("max-age=31536000"), "browsers keep to HTTPS");
    }
    let names = std::fs::read_to_string(tls.join(jiayuan_server::certificates::CA_NAMES)).unwrap();
    assert!(names.contains("dns:jiayuan.lan") && names.contains("ip:127.0.0.1"), "{names}");
}
