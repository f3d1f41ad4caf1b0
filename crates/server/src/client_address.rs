//! Who is asking: the address the request came from, or, when that is a reverse proxy the
//! operator named (`--trusted-proxies`), the address the proxy says it forwarded for. A
//! forwarded header from anyone else is ignored: otherwise every guesser would name a new
//! address on each try.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::error::HttpError;
use crate::state::AppState;

/// The client's address, as far as the server can trust it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// `peer` itself, or the right-most address in `X-Forwarded-For` that is not one of the
/// `trusted` proxies, when `peer` is one of them.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded = headers.get_all("x-forwarded-for").iter().filter_map(|value| value.to_str().ok());
    let chain: Vec<IpAddr> =
        forwarded.flat_map(|value| value.split(',')).filter_map(|part| part.trim().parse().ok()).collect();
    chain.into_iter().rev().find(|address| !trusted.contains(address)).unwrap_or(peer)
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Served without connection info (never by `serve`): all requests count as one client.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        Ok(ClientAddress(client_address(peer, &parts.headers, &state.trusted_proxies)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(forwarded: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_str(forwarded).unwrap());
        headers
    }

    #[test]
    fn a_forwarded_address_counts_only_from_a_named_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let stranger: IpAddr = "10.0.0.66".parse().unwrap();
        let claimed = headers("192.168.1.20");
        assert_eq!(client_address(stranger, &claimed, &[proxy]), stranger, "anyone can write the header");
        assert_eq!(client_address(proxy, &claimed, &[proxy]), "192.168.1.20".parse::<IpAddr>().unwrap());
        assert_eq!(client_address(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }

    #[test]
    fn the_right_most_untrusted_address_is_the_client() {
        let proxies: Vec<IpAddr> = vec!["10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap()];
        // The client put a made-up address first; the proxies appended what they saw.
        let chain = headers("1.2.3.4, 192.168.1.20, 10.0.0.2");
        assert_eq!(client_address(proxies[0], &chain, &proxies), "192.168.1.20".parse::<IpAddr>().unwrap());
    }
}
