//! Number formatting as the QPP cards show figures: "$50,027.00", "1,419".

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn format_count(n: i64) -> String {
    let s = group_thousands(n.unsigned_abs());
    if n < 0 {
        format!("-{s}")
    } else {
        s
    }
}

pub fn format_usd_cents(cents: i64) -> String {
    let abs = cents.unsigned_abs();
    let s = format!("${}.{:02}", group_thousands(abs / 100), abs % 100);
    if cents < 0 {
        format!("-{s}")
    } else {
        s
    }
}

/// Whether a name matches what a person typed in a search box: case-insensitive, and letters
/// with diacritics match their plain form, so "krajicek" finds "Krajíček".
pub fn name_matches(name: &str, query: &str) -> bool {
    let fold = |s: &str| s.chars().flat_map(|c| c.to_lowercase()).map(strip_diacritic).collect::<String>();
    fold(name).contains(&fold(query.trim()))
}

/// A ZIP code as a card shows it: CMS gives ZIP+4 as nine digits ("999010840"), shown as
/// "99901-0840"; anything else is shown as it is.
pub fn format_zip(zip: &str) -> String {
    if zip.len() == 9 && zip.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}", &zip[..5], &zip[5..])
    } else {
        zip.to_string()
    }
}

fn strip_diacritic(c: char) -> char {
    const FROM: &str = "áäàâãåčćçďéěëèêíïìîľĺłňńñóöòôõőřŕšśťúůüùûűýÿžźżß";
    const TO: &str = "aaaaaacccdeeeeeiiiilllnnnoooooorrsstuuuuuuyyzzzs";
    FROM.chars().position(|f| f == c).and_then(|i| TO.chars().nth(i)).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_plus_four_gets_its_hyphen() {
        assert_eq!(format_zip("999010840"), "99901-0840");
        assert_eq!(format_zip("55802"), "55802");
        assert_eq!(format_zip("99901-0840"), "99901-0840");
    }

    #[test]
    fn search_ignores_case_and_diacritics() {
        assert!(name_matches("Dittrich, Krajíček and Urbanová", "krajicek"));
        assert!(name_matches("Pazderová, Dudek and Zelený", "ZELENÝ"));
        assert!(name_matches("Pazderová, Dudek and Zelený", "zeleny"));
        assert!(name_matches("Anything", "  "));
        assert!(!name_matches("Nováková Pediatrics", "orthopedics"));
    }

    #[test]
    fn formats_money_and_counts() {
        assert_eq!(format_usd_cents(5_002_700), "$50,027.00");
        assert_eq!(format_usd_cents(72_364_000), "$723,640.00");
        assert_eq!(format_usd_cents(9_000_000), "$90,000.00");
        assert_eq!(format_usd_cents(5), "$0.05");
        assert_eq!(format_usd_cents(-150), "-$1.50");
        assert_eq!(format_count(1419), "1,419");
        assert_eq!(format_count(295_493), "295,493");
        assert_eq!(format_count(33), "33");
        assert_eq!(format_count(1_000_000), "1,000,000");
    }
}
