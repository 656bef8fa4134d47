//! CSV as spreadsheets read it (RFC 4180): fields quoted when they hold a comma, quote, or line
//! break; quotes doubled; CRLF line ends; a UTF-8 byte-order mark so that Excel reads names
//! such as "Krajíček" correctly. Fields starting with = + - @ are prefixed with an apostrophe so
//! a spreadsheet never runs them as formulas.

pub const BOM: &str = "\u{FEFF}";

pub fn field(value: &str) -> String {
    let safe = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) && value.parse::<f64>().is_err() {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

pub fn row<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields.iter().map(|f| field(f.as_ref())).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(field("Krajíček"), "Krajíček");
        assert_eq!(field("Dittrich, Krajíček and Urbanová"), "\"Dittrich, Krajíček and Urbanová\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("a\nb"), "\"a\nb\"");
        assert_eq!(row(&["000043560", "x,y", ""]), "000043560,\"x,y\",\r\n");
    }

    #[test]
    fn neutralises_formulas_but_not_negative_numbers() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("-12.5"), "-12.5");
        assert_eq!(field("\t=1+1"), "'\t=1+1");
    }
}
