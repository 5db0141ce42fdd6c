//! Which `Host` and `Origin` headers `serve` answers: the defence against DNS rebinding
//! and against other sites' pages reading the live-reload messages.
//!
//! A page of `evil.example` can make its name resolve to 127.0.0.1 and then read this
//! server as its own origin; its requests still say `Host: evil.example`. And any page
//! can open a WebSocket to localhost; the browser then says `Origin: http://evil.example`
//! (or `null`). So, as Vite and webpack-dev-server do, only loopback names
//! (`localhost`, `*.localhost`), IP addresses (which cannot be rebound) and the names
//! given with `--allow-host` are answered.

use std::net::IpAddr;

/// The rule for `Host` and `Origin`, with the names the author allowed.
#[derive(Debug, Clone, Default)]
pub(crate) struct HostGuard {
    /// Lowercase names; one starting with a dot allows every name under it.
    allowed: Vec<String>,
}

impl HostGuard {
    pub(crate) fn new(allowed: &[String]) -> Self {
        let allowed = allowed
            .iter()
            .map(|name| name.trim_end_matches('.').to_ascii_lowercase())
            .collect();
        HostGuard { allowed }
    }

    /// Whether a request with this `Host` header is answered. Without one (HTTP/1.0,
    /// or a tool), it is: browsers always send it.
    pub(crate) fn allows_host(&self, host: Option<&str>) -> bool {
        host.is_none_or(|host| self.allows_authority(host))
    }

    /// Whether a WebSocket from a page of this `Origin` is accepted. Without one, it
    /// is not from a page: browsers always send it.
    pub(crate) fn allows_origin(&self, origin: Option<&str>) -> bool {
        let Some(origin) = origin else {
            return true;
        };
        let authority = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        authority.is_some_and(|a| !a.contains('/') && self.allows_authority(a))
    }

    /// `host[:port]`, `[v6]:port`.
    fn allows_authority(&self, authority: &str) -> bool {
        let name = match authority.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((v6, port)) if port.is_empty() || port.starts_with(':') => {
                    return v6.parse::<std::net::Ipv6Addr>().is_ok();
                }
                _ => return false,
            },
            None => authority
                .rsplit_once(':')
                .map_or(authority, |(name, _port)| name),
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        name.parse::<IpAddr>().is_ok()
            || name == "localhost"
            || name.ends_with(".localhost")
            || self
                .allowed
                .iter()
                .any(|allowed| match allowed.strip_prefix('.') {
                    Some(domain) => name == domain || name.ends_with(allowed.as_str()),
                    None => name == *allowed,
                })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_and_ip_addresses_are_answered_and_other_names_refused() {
        let guard = HostGuard::new(&["docs.test".into(), ".corp.test".into()]);
        let cases = [
            (Some("127.0.0.1:1111"), true),
            (Some("localhost:1111"), true),
            (Some("LOCALHOST."), true),
            (Some("app.localhost:80"), true),
            (Some("[::1]:1111"), true),
            (Some("192.168.1.20:1111"), true),
            (Some("docs.test:1111"), true),
            (Some("wiki.corp.test"), true),
            (Some("corp.test"), true),
            (None, true),
            (Some("evil.example"), false),
            (Some("evil.example:1111"), false),
            (Some("localhost.evil"), false),
            (Some("127.0.0.1.evil.example"), false),
            (Some("xdocs.test"), false),
            (Some("[::1"), false),
            (Some("[evil.example]:80"), false),
            (Some(""), false),
        ];
        for (host, allowed) in cases {
            assert_eq!(guard.allows_host(host), allowed, "{host:?}");
        }
    }

    #[test]
    fn only_pages_of_allowed_origins_open_the_live_reload_socket() {
        let guard = HostGuard::new(&[]);
        let cases = [
            (Some("http://127.0.0.1:1111"), true),
            (Some("http://localhost:1111"), true),
            (Some("https://[::1]:1111"), true),
            (None, true),
            (Some("null"), false),
            (Some("http://evil.example"), false),
            (Some("http://localhost.evil.example"), false),
            (Some("file://"), false),
            (Some("http://127.0.0.1/x"), false),
        ];
        for (origin, allowed) in cases {
            assert_eq!(guard.allows_origin(origin), allowed, "{origin:?}");
        }
    }
}
