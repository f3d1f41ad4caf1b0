//! The community's own certificate authority, for communities without a certificate for their
//! server's name: kiosks must reach the server over HTTPS to be secure contexts (and so start
//! offline), and a browser trusts a certificate only from an authority it was told to trust.
//!
//! `jiayuan-server make-certificates` makes the authority once (its key stays on the server),
//! and a certificate for the names and addresses the server answers on, signed by it. Run again
//! with other names, it signs a new server certificate with the same authority, so kiosks that
//! trust it need nothing new.
//!
//! The authority is bound by X.509 name constraints to the names and addresses it was made for
//! (a name covers its subdomains): a stolen authority key cannot vouch for a bank's website to
//! the kiosks that trust it. Names outside those need a new authority (`--new-authority`),
//! which every kiosk must then trust again. The names it was made for are kept beside it in
//! `ca.names`.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, CidrSubnet, DistinguishedName, DnType, ExtendedKeyUsagePurpose,
    GeneralSubtree, IsCa, Issuer, KeyPair, KeyUsagePurpose, NameConstraints, SanType,
};
use time::{Duration, OffsetDateTime};

/// The authority's certificate (install on kiosks) and key (keep on the server).
pub const CA_CERT: &str = "ca.crt";
pub const CA_KEY: &str = "ca.key";
/// The names and addresses the authority may vouch for, one a line: `dns:jiayuan.lan`, `ip:…`.
pub const CA_NAMES: &str = "ca.names";
/// The server's certificate and key (`--tls-cert`, `--tls-key`).
pub const SERVER_CERT: &str = "server.crt";
pub const SERVER_KEY: &str = "server.key";

/// A private authority's certificates are not bound by the public web's 398-day limit.
const AUTHORITY_YEARS: i64 = 10;
const SERVER_YEARS: i64 = 5;

#[derive(Debug)]
pub struct Made {
    pub dir: PathBuf,
    /// The authority was there already and signed the new certificate.
    pub authority_kept: bool,
    pub server_expires: OffsetDateTime,
}

#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    #[error("name at least one name or address the server answers on (--name jiayuan.lan, --ip 192.168.1.10)")]
    NoNames,
    #[error("{0:?} is not a host name")]
    BadName(String),
    #[error(
        "the community's authority in {dir} may vouch only for {allowed}, not {name}: run again with every \
         name and --new-authority (then each kiosk must trust the new ca.crt)"
    )]
    OutsideAuthority { dir: PathBuf, allowed: String, name: String },
    #[error(
        "the community's authority in {0} was made before authorities were bound to their names: run again \
         with --new-authority (then each kiosk must trust the new ca.crt)"
    )]
    UnboundAuthority(PathBuf),
    #[error("cannot make the certificates: {0}")]
    Rcgen(#[from] rcgen::Error),
    #[error("cannot {doing} {path}: {source}")]
    File {
        doing: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What an authority may vouch for: `names` (and their subdomains) and `addresses`. A kind of
/// name given none is bound to loopback only, since an unconstrained kind would be unbound.
fn constraints(names: &[String], addresses: &[IpAddr]) -> NameConstraints {
    let mut permitted: Vec<GeneralSubtree> = names.iter().map(|name| GeneralSubtree::DnsName(name.clone())).collect();
    if names.is_empty() {
        permitted.push(GeneralSubtree::DnsName("localhost".to_owned()));
    }
    let full_prefix = |address: &IpAddr| if address.is_ipv4() { 32 } else { 128 };
    let subnets = addresses.iter().map(|address| CidrSubnet::from_addr_prefix(*address, full_prefix(address)));
    permitted.extend(subnets.map(GeneralSubtree::IpAddress));
    if addresses.is_empty() {
        let loopback = IpAddr::from(std::net::Ipv4Addr::LOCALHOST);
        permitted.push(GeneralSubtree::IpAddress(CidrSubnet::from_addr_prefix(loopback, 32)));
    }
    NameConstraints { permitted_subtrees: permitted, excluded_subtrees: Vec::new() }
}

/// The lines of `ca.names` for `names` and `addresses`.
fn names_file(names: &[String], addresses: &[IpAddr]) -> String {
    let names = names.iter().map(|name| format!("dns:{name}\n"));
    names.chain(addresses.iter().map(|address| format!("ip:{address}\n"))).collect()
}

/// The names and addresses in a `ca.names` file.
fn read_names_file(text: &str) -> (Vec<String>, Vec<IpAddr>) {
    let names = text.lines().filter_map(|line| line.strip_prefix("dns:")).map(str::to_owned).collect();
    let addresses = text.lines().filter_map(|line| line.strip_prefix("ip:")).filter_map(|a| a.parse().ok()).collect();
    (names, addresses)
}

/// The first of `names` and `addresses` that an authority made for `allowed` cannot vouch for.
fn outside(allowed: &(Vec<String>, Vec<IpAddr>), names: &[String], addresses: &[IpAddr]) -> Option<String> {
    let covered = |name: &String| {
        let name = name.to_ascii_lowercase();
        allowed.0.iter().any(|base| {
            let base = base.to_ascii_lowercase();
            name == base || name.ends_with(&format!(".{base}"))
        })
    };
    let name = names.iter().find(|name| !covered(name)).cloned();
    name.or_else(|| addresses.iter().find(|address| !allowed.1.contains(address)).map(IpAddr::to_string))
}

fn authority_params(bound_to: NameConstraints) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, "Jiayuan community certificate authority");
    name.push(DnType::OrganizationName, "Jiayuan 家园");
    params.distinguished_name = name;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.name_constraints = Some(bound_to);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    let now = OffsetDateTime::now_utc();
    params.not_before = now - Duration::days(1);
    params.not_after = now + Duration::days(365 * AUTHORITY_YEARS);
    params
}

/// Makes (or keeps) the authority in `dir` and a server certificate for `names` and `addresses`;
/// a new authority, bound to these names, when `new_authority` or when there is none yet.
pub fn make(dir: &Path, names: &[String], addresses: &[IpAddr], new_authority: bool) -> Result<Made, CertificateError> {
    if names.is_empty() && addresses.is_empty() {
        return Err(CertificateError::NoNames);
    }
    let file = |name: &str| dir.join(name);
    let io = |doing: &'static str, path: PathBuf| move |source| CertificateError::File { doing, path, source };
    std::fs::create_dir_all(dir).map_err(io("create", dir.to_path_buf()))?;
    let existing = match std::fs::read_to_string(file(CA_KEY)) {
        Ok(pem) if file(CA_CERT).is_file() && !new_authority => Some(pem),
        _ => None,
    };
    let (authority_params, authority_key, authority_kept) = match existing {
        Some(pem) => {
            let Ok(allowed) = std::fs::read_to_string(file(CA_NAMES)) else {
                return Err(CertificateError::UnboundAuthority(dir.to_path_buf()));
            };
            let allowed = read_names_file(&allowed);
            if let Some(name) = outside(&allowed, names, addresses) {
                let listed = allowed.0.iter().cloned().chain(allowed.1.iter().map(IpAddr::to_string));
                let allowed = listed.collect::<Vec<_>>().join(", ");
                return Err(CertificateError::OutsideAuthority { dir: dir.to_path_buf(), allowed, name });
            }
            (authority_params(constraints(&allowed.0, &allowed.1)), KeyPair::from_pem(&pem)?, true)
        }
        None => {
            let params = authority_params(constraints(names, addresses));
            let key = KeyPair::generate()?;
            let cert = params.self_signed(&key)?;
            write(&file(CA_KEY), &key.serialize_pem(), true).map_err(io("write", file(CA_KEY)))?;
            write(&file(CA_CERT), &cert.pem(), false).map_err(io("write", file(CA_CERT)))?;
            write(&file(CA_NAMES), &names_file(names, addresses), false).map_err(io("write", file(CA_NAMES)))?;
            (params, key, false)
        }
    };
    let issuer = Issuer::new(authority_params, authority_key);

    let mut params = CertificateParams::default();
    let mut subject = DistinguishedName::new();
    subject.push(DnType::CommonName, names.first().cloned().unwrap_or_else(|| addresses[0].to_string()));
    params.distinguished_name = subject;
    for name in names {
        let dns = name.clone().try_into().map_err(|_| CertificateError::BadName(name.clone()))?;
        params.subject_alt_names.push(SanType::DnsName(dns));
    }
    params.subject_alt_names.extend(addresses.iter().map(|address| SanType::IpAddress(*address)));
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let now = OffsetDateTime::now_utc();
    params.not_before = now - Duration::days(1);
    params.not_after = now + Duration::days(365 * SERVER_YEARS);
    let server_key = KeyPair::generate()?;
    let server_cert = params.signed_by(&server_key, &issuer)?;
    write(&file(SERVER_KEY), &server_key.serialize_pem(), true).map_err(io("write", file(SERVER_KEY)))?;
    write(&file(SERVER_CERT), &server_cert.pem(), false).map_err(io("write", file(SERVER_CERT)))?;
    Ok(Made { dir: dir.to_path_buf(), authority_kept, server_expires: params.not_after })
}

/// Writes `text` to `path`, readable by the server's user only when `private`.
fn write(path: &Path, text: &str, private: bool) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, if private { 0o600 } else { 0o644 });
    std::io::Write::write_all(&mut options.open(path)?, text.as_bytes())
}

/// What to do next, for the operator: how to serve with the certificate and how to make each
/// kind of kiosk trust the authority (docs/kiosk-setup.md has the whole guide).
pub fn instructions(made: &Made, port_hint: &str) -> String {
    let dir = made.dir.display();
    let kept = if made.authority_kept { "the community's existing authority" } else { "a new authority" };
    format!(
        "Made a server certificate signed by {kept}, good until {}.\n\
         \n\
         Serve with it:\n  jiayuan-server --addr 0.0.0.0:{port_hint} --tls-cert {dir}/{SERVER_CERT} --tls-key {dir}/{SERVER_KEY}\n\
         \n\
         Each kiosk must trust {dir}/{CA_CERT} (not secret; copy it on a USB stick). Keep {dir}/{CA_KEY} on the server.\n\
         - Debian/Ubuntu, Chromium (as the kiosk's user):\n    certutil -d sql:$HOME/.pki/nssdb -A -t \"C,,\" -n \"Jiayuan community\" -i {CA_CERT}\n\
         - Windows (as administrator):\n    certutil -addstore -f Root {CA_CERT}\n\
         - Android: Settings → Security → Encryption & credentials → Install a certificate → CA certificate.\n\
         Then open the kiosk at https://<name>:{port_hint}/ once with the network up (docs/kiosk-setup.md).",
        made.server_expires.date()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_run_keeps_the_authority_and_signs_a_new_certificate() {
        let dir = std::env::temp_dir().join(format!("jiayuan-certs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let first = make(&dir, &["jiayuan.lan".into()], &["192.168.1.10".parse().unwrap()], false).unwrap();
        assert!(!first.authority_kept);
        let authority = std::fs::read_to_string(dir.join(CA_CERT)).unwrap();
        let server = std::fs::read_to_string(dir.join(SERVER_CERT)).unwrap();
        let second = make(&dir, &["kiosks.jiayuan.lan".into(), "JIAYUAN.lan".into()], &[], false).unwrap();
        assert!(second.authority_kept);
        assert_eq!(std::fs::read_to_string(dir.join(CA_CERT)).unwrap(), authority, "kiosks need nothing new");
        assert_ne!(std::fs::read_to_string(dir.join(SERVER_CERT)).unwrap(), server);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(dir.join(CA_KEY)).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(matches!(make(&dir, &[], &[], false), Err(CertificateError::NoNames)));
        // A name the authority was not made for needs a new authority, which kiosks trust anew.
        let elsewhere = make(&dir, &["bank.example".into()], &[], false);
        assert!(matches!(elsewhere, Err(CertificateError::OutsideAuthority { .. })), "{elsewhere:?}");
        let other_address = make(&dir, &[], &["192.168.1.11".parse().unwrap()], false);
        assert!(matches!(other_address, Err(CertificateError::OutsideAuthority { .. })));
        let renewed = make(&dir, &["bank.example".into()], &[], true).unwrap();
        assert!(!renewed.authority_kept);
        assert_ne!(std::fs::read_to_string(dir.join(CA_CERT)).unwrap(), authority);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
