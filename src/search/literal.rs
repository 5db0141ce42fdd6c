//! A forgiving reader of the structured values found inside pasted errors.
//!
//! Errors reach people as JSON bodies (`{"error": {"code": "…"}}`), as Python reprs of
//! the same (`{'error': {'code': '…', 'param': None}}`, which is what the OpenAI and Groq
//! SDKs print), or as either embedded in a line of log. This reader accepts both syntaxes
//! and finds every object in a text; what the values mean is decided in `evidence.rs`.
//! `static/search/evidence.js` carries the same reader.

/// A value read from JSON or from a Python literal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    List(Vec<Literal>),
    Map(Vec<(String, Literal)>),
}

/// Nesting deeper than this is not an error body.
pub(crate) const MAX_DEPTH: usize = 32;

/// Reading starts at no more than this many `{`, so that a paste full of braces and
/// unterminated strings cannot take quadratic time.
pub(crate) const MAX_ATTEMPTS: usize = 256;

/// Every object (`{…}`) that reads as a whole in `text`, outermost first, in order.
pub(crate) fn find_objects(text: &str) -> Vec<Literal> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut attempts = 0;
    let mut i = 0;
    while i < chars.len() && attempts < MAX_ATTEMPTS {
        if chars[i] == '{' {
            attempts += 1;
            let mut reader = Reader {
                chars: &chars,
                pos: i,
            };
            if let Some(value) = reader.value(0) {
                found.push(value);
                i = reader.pos;
                continue;
            }
        }
        i += 1;
    }
    found
}

struct Reader<'a> {
    chars: &'a [char],
    pos: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_space();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Option<Literal> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        match self.peek()? {
            '{' => self.map(depth),
            '[' => self.list(depth),
            '"' | '\'' => self.string().map(Literal::Str),
            c if c == '-' || c.is_ascii_digit() => self.number(),
            _ => match self.bare_word()?.as_str() {
                "null" | "None" => Some(Literal::Null),
                "true" | "True" => Some(Literal::Bool(true)),
                "false" | "False" => Some(Literal::Bool(false)),
                _ => None,
            },
        }
    }

    fn map(&mut self, depth: usize) -> Option<Literal> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            if self.eat('}') {
                return Some(Literal::Map(items));
            }
            self.skip_space();
            let key = match self.peek()? {
                '"' | '\'' => self.string()?,
                _ => self.bare_word()?,
            };
            if !self.eat(':') {
                return None;
            }
            items.push((key, self.value(depth + 1)?));
            if !self.eat(',') && !matches!(self.next_non_space(), Some('}')) {
                return None;
            }
        }
    }

    fn list(&mut self, depth: usize) -> Option<Literal> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            if self.eat(']') {
                return Some(Literal::List(items));
            }
            items.push(self.value(depth + 1)?);
            if !self.eat(',') && !matches!(self.next_non_space(), Some(']')) {
                return None;
            }
        }
    }

    fn next_non_space(&mut self) -> Option<char> {
        self.skip_space();
        self.peek()
    }

    fn bare_word(&mut self) -> Option<String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.pos += 1;
        }
        (self.pos > start).then(|| self.chars[start..self.pos].iter().collect())
    }

    fn number(&mut self) -> Option<Literal> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        {
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        text.parse().ok().map(Literal::Number)
    }

    fn string(&mut self) -> Option<String> {
        let quote = self.peek()?;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let c = self.peek()?;
            self.pos += 1;
            match c {
                _ if c == quote => return Some(out),
                '\\' => {
                    let escaped = self.peek()?;
                    self.pos += 1;
                    out.push(self.escape(escaped)?);
                }
                _ => out.push(c),
            }
        }
    }

    fn escape(&mut self, c: char) -> Option<char> {
        Some(match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'u' => self.hex(4)?,
            'x' => self.hex(2)?,
            other => other,
        })
    }

    /// `count` hex digits as a character; a lone surrogate becomes U+FFFD.
    fn hex(&mut self, count: usize) -> Option<char> {
        let digits: String = self.chars.get(self.pos..self.pos + count)?.iter().collect();
        let code = u32::from_str_radix(&digits, 16).ok()?;
        self.pos += count;
        if (0xD800..0xDC00).contains(&code)
            && self.chars.get(self.pos..self.pos + 2) == Some(&['\\', 'u'])
        {
            let low: String = self.chars.get(self.pos + 2..self.pos + 6)?.iter().collect();
            if let Ok(low) = u32::from_str_radix(&low, 16)
                && (0xDC00..0xE000).contains(&low)
            {
                self.pos += 6;
                return char::from_u32(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00));
            }
        }
        Some(char::from_u32(code).unwrap_or('\u{FFFD}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(items: &[(&str, Literal)]) -> Literal {
        Literal::Map(
            items
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn s(text: &str) -> Literal {
        Literal::Str(text.into())
    }

    #[test]
    fn a_paste_of_braces_and_open_quotes_stays_fast() {
        let text = "{'a".repeat(5_000);
        let started = std::time::Instant::now();
        assert!(find_objects(&text).is_empty());
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        let late = format!("{}{{\"code\": \"x\"}}", "{".repeat(MAX_ATTEMPTS));
        assert!(find_objects(&late).is_empty(), "attempts are bounded");
    }

    #[test]
    fn objects_are_found_in_json_python_and_log_lines() {
        let cases: Vec<(&str, Vec<Literal>)> = vec![
            (r#"{"a": 1}"#, vec![map(&[("a", Literal::Number(1.0))])]),
            (
                "Error code: 429 - {'error': {'code': 'x', 'param': None, 'ok': True}}",
                vec![map(&[(
                    "error",
                    map(&[
                        ("code", s("x")),
                        ("param", Literal::Null),
                        ("ok", Literal::Bool(true)),
                    ]),
                )])],
            ),
            (
                r#"{"m": "can't \"stop\" \u00e9\ud83d\ude00", 'n': "it's"}"#,
                vec![map(&[("m", s("can't \"stop\" é😀")), ("n", s("it's"))])],
            ),
            (
                "{not an object} then {'l': [1, 'two', {}],}",
                vec![map(&[(
                    "l",
                    Literal::List(vec![Literal::Number(1.0), s("two"), map(&[])]),
                )])],
            ),
            ("{'unclosed': 'x'", vec![]),
            ("{} {}", vec![map(&[]), map(&[])]),
        ];
        for (text, expected) in cases {
            assert_eq!(find_objects(text), expected, "{text}");
        }
    }
}
