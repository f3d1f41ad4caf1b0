//! How the server is reached: HTTPS with a given certificate, HTTPS with the community's own
//! certificates made at the first start (`--tls-auto`, what the Debian package does), or plain
//! HTTP, only on loopback unless the operator says otherwise (`--allow-plain-http`, for a
//! reverse proxy elsewhere that serves TLS). Staff passwords and session cookies must not
//! cross a LAN in clear.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};

use crate::certificates::{self, CertificateError, SERVER_CERT, SERVER_KEY};

/// The certificate and key to serve HTTPS with; None: plain HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tls {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error(
        "plain HTTP on {0} would send staff passwords across the network readable by anyone on it: serve HTTPS \
         (--tls-auto, or --tls-cert and --tls-key), listen on loopback behind a reverse proxy, or say \
         --allow-plain-http if a proxy elsewhere serves TLS"
    )]
    PlainHttp(SocketAddr),
    #[error("cannot make the community's certificates for HTTPS: {0}")]
    Certificates(#[from] CertificateError),
}

pub struct Choice<'a> {
    pub addr: SocketAddr,
    pub cert: Option<&'a Path>,
    pub key: Option<&'a Path>,
    pub tls_auto: bool,
    pub allow_plain_http: bool,
    pub data_dir: &'a Path,
}

/// How to serve, making the community's certificates first if `tls_auto` needs them.
pub fn choose(choice: Choice<'_>) -> Result<Option<Tls>, TransportError> {
    if let (Some(cert), Some(key)) = (choice.cert, choice.key) {
        return Ok(Some(Tls { cert: cert.to_path_buf(), key: key.to_path_buf() }));
    }
    if choice.tls_auto {
        let dir = choice.data_dir.join("tls");
        let tls = Tls { cert: dir.join(SERVER_CERT), key: dir.join(SERVER_KEY) };
        if !(tls.cert.is_file() && tls.key.is_file()) {
            let (names, addresses) = this_machine();
            let made = certificates::make(&dir, &names, &addresses, false)?;
            tracing::info!(
                dir = %made.dir.display(), names = ?names, addresses = ?addresses,
                "made the community's certificates: each kiosk must trust tls/ca.crt (README, \"HTTPS\")"
            );
        }
        return Ok(Some(tls));
    }
    if choice.addr.ip().is_loopback() || choice.allow_plain_http {
        return Ok(None);
    }
    Err(TransportError::PlainHttp(choice.addr))
}

/// The names and addresses kiosks may reach this machine by: jiayuan.lan, its host name, and
/// loopback and the address of its way out (the one a LAN knows it by).
fn this_machine() -> (Vec<String>, Vec<IpAddr>) {
    let mut names = vec!["jiayuan.lan".to_owned(), "localhost".to_owned()];
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let host = host.trim().to_ascii_lowercase();
    if !host.is_empty()
        && host != "localhost"
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        names.push(host);
    }
    let mut addresses = vec![IpAddr::V4(Ipv4Addr::LOCALHOST), IpAddr::V6(Ipv6Addr::LOCALHOST)];
    addresses.extend(outward_address());
    (names, addresses)
}

/// The local address of the route out (a UDP "connection" sends nothing): the LAN address.
fn outward_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    let address = socket.local_addr().ok()?.ip();
    (!address.is_unspecified() && !address.is_loopback()).then_some(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice<'a>(addr: &str, tls_auto: bool, allow_plain_http: bool, data_dir: &'a Path) -> Choice<'a> {
        Choice { addr: addr.parse().unwrap(), cert: None, key: None, tls_auto, allow_plain_http, data_dir }
    }

    #[test]
    fn plain_http_is_for_loopback_unless_the_operator_says_so() {
        let dir = Path::new("/nonexistent");
        assert_eq!(choose(choice("127.0.0.1:8080", false, false, dir)).unwrap(), None);
        assert_eq!(choose(choice("[::1]:8080", false, false, dir)).unwrap(), None);
        assert!(matches!(choose(choice("0.0.0.0:8080", false, false, dir)), Err(TransportError::PlainHttp(_))));
        assert_eq!(choose(choice("0.0.0.0:8080", false, true, dir)).unwrap(), None);
    }

    #[test]
    fn the_first_start_makes_certificates_and_later_ones_keep_them() {
        let dir = std::env::temp_dir().join(format!("jiayuan-transport-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let tls = choose(choice("0.0.0.0:8443", true, false, &dir)).unwrap().expect("HTTPS");
        let first = std::fs::read_to_string(&tls.cert).unwrap();
        assert!(dir.join("tls").join(certificates::CA_CERT).is_file());
        choose(choice("0.0.0.0:8443", true, false, &dir)).unwrap();
        assert_eq!(std::fs::read_to_string(&tls.cert).unwrap(), first, "kept");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
