//! The staff PIN's digest, as the pull carries it to kiosks.
//!
//! A kiosk checks the PIN with no network, so whoever holds a kiosk's credential or its browser
//! storage holds what the PIN is checked against; a PIN of 4 to 8 digits cannot be kept from
//! them. What can be done is to make each guess cost: the digest is PBKDF2-HMAC-SHA256 over the
//! site's key, `ROUNDS` rounds, so trying all 10,000 four-digit PINs costs hours of a kiosk's
//! time rather than the milliseconds an HMAC costs (and a PIN of 8 digits, ten thousand times
//! more). It is written `pbkdf2-sha256$<rounds>$<hex>`, so a kiosk from before this scheme
//! compares its plain HMAC against this text, never matches, and stays locked (fails closed);
//! kiosks load their build from the server, so server and kiosks change `ROUNDS` together.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::identity::{IdentityKind, normalise};

/// Rounds of PBKDF2: about half a second in a kiosk's browser (WebAssembly, measured in the
/// release build), once per PIN typed.
pub const ROUNDS: u32 = 60_000;
const SCHEME: &str = "pbkdf2-sha256";
/// 128 bits: the digest is compared, never used as a key.
const DIGEST_BYTES: usize = 16;

/// The digest of `pin` for the site whose key is `site_key_hex`; None for a PIN that is not
/// 4 to 8 digits.
pub fn digest(site_key_hex: &str, pin: &str) -> Option<String> {
    digest_with(site_key_hex, pin, ROUNDS)
}

fn digest_with(site_key_hex: &str, pin: &str, rounds: u32) -> Option<String> {
    let normal = normalise(IdentityKind::StaffPin, pin)?;
    // The site's key is the salt: one site's table of PIN digests is no use at another.
    let salt = format!("jiayuan-staff-pin:{site_key_hex}");
    let out = pbkdf2_first_block(normal.as_bytes(), salt.as_bytes(), rounds)?;
    let hex: String = out.iter().take(DIGEST_BYTES).map(|b| format!("{b:02x}")).collect();
    Some(format!("{SCHEME}${rounds}${hex}"))
}

/// PBKDF2-HMAC-SHA256's first block (RFC 8018, section 5.2): all a digest of 32 bytes or less
/// needs. Written out over the HMAC the kiosk already has rather than with the pbkdf2 crate,
/// whose generic code costs the kiosk's first load a kilobyte it does not have.
fn pbkdf2_first_block(password: &[u8], salt: &[u8], rounds: u32) -> Option<[u8; 32]> {
    let keyed = Hmac::<Sha256>::new_from_slice(password).ok()?;
    let mut mac = keyed.clone();
    mac.update(salt);
    mac.update(&1u32.to_be_bytes());
    let mut u: [u8; 32] = mac.finalize().into_bytes().into();
    let mut block = u;
    for _ in 1..rounds {
        let mut mac = keyed.clone();
        mac.update(&u);
        u = mac.finalize().into_bytes().into();
        block.iter_mut().zip(u).for_each(|(b, x)| *b ^= x);
    }
    Some(block)
}

/// Whether `pin` is the PIN whose digest is `stored` (as `digest` writes it).
pub fn matches(stored: &str, site_key_hex: &str, pin: &str) -> bool {
    digest(site_key_hex, pin).is_some_and(|typed| typed == stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "6a1f0c2e9b7d4a3c8e5f1b2d7c9a0e4f6a1f0c2e9b7d4a3c8e5f1b2d7c9a0e4f";

    #[test]
    fn the_right_pin_matches_and_others_do_not() {
        let stored = digest(KEY, "2468").unwrap();
        assert!(stored.starts_with("pbkdf2-sha256$60000$") && stored.len() == "pbkdf2-sha256$60000$".len() + 32);
        assert!(matches(&stored, KEY, "2468"));
        assert!(matches(&stored, KEY, " 24 68 "), "typed with spaces");
        assert!(!matches(&stored, KEY, "2469"));
        assert!(!matches(&stored, "another site's key", "2468"), "salted by the site");
        assert_eq!(digest(KEY, "12"), None, "too short to be a PIN");
    }

    #[test]
    fn the_block_matches_the_published_pbkdf2_hmac_sha256_vectors() {
        // The widely published PBKDF2-HMAC-SHA256 vectors for "password" / "salt".
        let hex = |bytes: [u8; 32]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
        let one = pbkdf2_first_block(b"password", b"salt", 1).unwrap();
        assert_eq!(hex(one), "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
        let many = pbkdf2_first_block(b"password", b"salt", 4096).unwrap();
        assert_eq!(hex(many), "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
    }

    #[test]
    fn a_digest_of_another_scheme_or_rounds_never_matches() {
        let fewer = digest_with(KEY, "2468", 1_000).unwrap();
        assert!(!matches(&fewer, KEY, "2468"));
        // What a kiosk of before compared: the HMAC digest, which never matches now.
        let old = crate::identity::digest(KEY, IdentityKind::StaffPin, "2468").unwrap();
        assert!(!matches(&old, KEY, "2468"));
    }
}
