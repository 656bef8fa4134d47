//! The Content-Security-Policy of the SPA's HTML, and the same headers as a `_headers` file for
//! static hosts and CDNs (`mips-elections headers DIST`).
//!
//! Trunk injects one inline module script into `index.html` that loads the wasm; its text names
//! the hashed asset files, so it changes with every build. Rather than allowing inline scripts,
//! the policy names that script's SHA-256, read from the built `index.html` itself.

use base64::Engine;
use sha2::{Digest, Sha256};

/// HSTS for responses served over HTTPS: a year, subdomains included.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The policy for an HTML page whose inline scripts are those of `index_html`. `api_origin` is
/// the origin of `config.json`'s `apiBaseUrl` when the API lives elsewhere (a CDN-served SPA).
pub fn content_security_policy(index_html: &str, api_origin: Option<&str>) -> String {
    let hashes: String = inline_scripts(index_html)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(" 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
        })
        .collect();
    let connect = api_origin.map(|o| format!("; connect-src 'self' {o}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'{connect}"
    )
}

/// The text of every `<script>` without a `src`, exactly as the browser hashes it.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (tag, body) = rest.split_once('>')?;
        if tag.contains("src=") {
            return None;
        }
        body.split_once("</script>").map(|(text, _)| text)
    })
}

/// The `_headers` file (the format Netlify and Cloudflare Pages read) with the headers the
/// server itself sends on HTML: the policy, HSTS (static hosts serve HTTPS) and the rest.
pub fn headers_file(index_html: &str, api_origin: Option<&str>) -> String {
    format!(
        "# Written by `mips-elections headers` from this build's index.html; see the README (Deploying).\n/*\n  \
         Content-Security-Policy: {}\n  Strict-Transport-Security: {HSTS}\n  X-Content-Type-Options: nosniff\n  \
         Referrer-Policy: same-origin\n  X-Frame-Options: DENY\n",
        content_security_policy(index_html, api_origin)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inline_loader_is_allowed_by_its_hash_and_nothing_else_inline() {
        let html = "<head><script type=\"module\">\nimport init from '/a.js';\n</script><script src=\"/b.js\"></script></head>";
        let csp = content_security_policy(html, None);
        let digest = Sha256::digest(b"\nimport init from '/a.js';\n");
        let expected = base64::engine::general_purpose::STANDARD.encode(digest);
        assert!(csp.contains(&format!("'sha256-{expected}'")), "{csp}");
        assert_eq!(csp.matches("'sha256-").count(), 1, "the script with a src is not hashed");
        for part in [
            "default-src 'self'",
            "'wasm-unsafe-eval'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{part} in {csp}");
        }
        assert!(!csp.contains("unsafe-inline") && !csp.contains("connect-src"));
        assert!(content_security_policy(html, Some("https://api.example.gov"))
            .ends_with("connect-src 'self' https://api.example.gov"));
        let file = headers_file(html, None);
        assert!(file.contains("/*\n  Content-Security-Policy: default-src") && file.contains(HSTS), "{file}");
    }
}
