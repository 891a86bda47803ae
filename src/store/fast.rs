//! The loader's fast path: a serde deserializer for the RON a portfolio file is normally made
//! of — what Alliance Desk writes and what a person types by hand — in one pass over the bytes.
//!
//! ron reads a character at a time and the pre-scan ([`super::scan`]) reads the text a second
//! time; on a large portfolio they were nearly all of the first frame (issue 14). This path
//! does both jobs at once, and gives up the moment it meets anything it does not know for
//! certain: raw strings, an escape other than the common ones, a number in another notation, a
//! comment inside a comment, or a literal the pre-scan would refuse (an impossible date, a
//! duplicate key, negative revenue, an over-long text, a commitment id at the top of its
//! range). The loader then takes the full path, which explains every problem with its place.
//! So it never decides anything differently: whatever it accepts, ron accepts as the same
//! portfolio and the pre-scan finds nothing in it (`fast_path_agrees_with_ron`, a property
//! test over mutated files).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::scan::{MAX_TEXT_BYTES, date_or_month_problem};
use crate::model::{FORMAT_VERSION, MAX_COMMITMENT_ID, Portfolio};

/// A portfolio read by the fast path, and whether its text has comments; `None` when the full
/// path must decide. A large file is read on two cores: the second half of the alliances on
/// one, everything else on the other.
pub(crate) fn portfolio(text: &str) -> Option<(Portfolio, bool)> {
    let (portfolio, has_comments) = match second_half(text) {
        Some(at) => std::thread::scope(|scope| {
            let (send, tail) = std::sync::mpsc::channel();
            scope.spawn(move || {
                // A send fails only when the first half gave up already.
                let _ = send.send(alliances_from(text, at));
            });
            let mut reader = Reader::new(text);
            reader.split = Some(Split {
                at,
                tail,
                alliances: None,
            });
            let (mut portfolio, has_comments) = reader.read::<Portfolio>()?;
            match reader.split.and_then(|s| s.alliances) {
                Some((rest, rest_has_comments)) => {
                    portfolio.alliances.extend(rest);
                    Some((portfolio, has_comments || rest_has_comments))
                }
                // The first half never reached `at` as an alliance (it was inside a comment):
                // it read every alliance itself.
                None => Some((portfolio, has_comments)),
            }
        })?,
        None => Reader::new(text).read::<Portfolio>()?,
    };
    (portfolio.version == FORMAT_VERSION).then_some((portfolio, has_comments))
}

/// From how many bytes a portfolio is read on two cores: below, a thread costs more than it
/// saves.
const SPLIT_FROM: usize = 256 * 1024;

/// Where an alliance near the middle of `text` begins: `Alliance(` first on its line, as
/// every save writes it. Only a guess: the first half checks that it is really an element of
/// the alliances list when it gets there.
fn second_half(text: &str) -> Option<usize> {
    if text.len() < SPLIT_FROM {
        return None;
    }
    let bytes = text.as_bytes();
    let mut from = text.len() / 2;
    while let Some(n) = memchr::memmem::find(&bytes[from..], b"Alliance(") {
        let at = from + n;
        let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        if bytes[line_start..at]
            .iter()
            .all(|&b| b == b' ' || b == b'\t')
        {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The alliances from `at` to the end of the list, where the list's `]` is, and whether there
/// were comments.
fn alliances_from(text: &str, at: usize) -> Option<(Vec<crate::model::Alliance>, usize, bool)> {
    let mut reader = Reader::new(text);
    reader.at = at;
    reader.field = "alliances";
    let mut alliances = Vec::new();
    loop {
        alliances.push(serde::Deserialize::deserialize(&mut reader).ok()?);
        reader.after_element(b']').ok()?;
        if reader.closes(b']').ok()? {
            return Some((alliances, reader.at, reader.has_comments));
        }
    }
}

/// The second half of the alliances, read on another thread (see [`portfolio`]).
struct Split {
    /// Where it begins.
    at: usize,
    /// The other thread's alliances, where the list ends, and whether it saw comments.
    tail: std::sync::mpsc::Receiver<Option<(Vec<crate::model::Alliance>, usize, bool)>>,
    /// Those alliances once taken, to append after the first half.
    alliances: Option<(Vec<crate::model::Alliance>, bool)>,
}

/// Why the fast path gave up. Never shown: the full path then says what is wrong.
#[derive(Debug)]
pub(crate) struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not on the fast path")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

type Result<T> = std::result::Result<T, GiveUp>;

struct Reader<'a> {
    split: Option<Split>,
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    has_comments: bool,
    /// The struct field whose value is being read (`id`, `revenue`…), for the pre-scan's rules.
    field: &'a str,
    /// Inside the values of a `revenue` map, where a negative number is refused.
    in_revenue: bool,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            split: None,
            text,
            bytes: text.as_bytes(),
            at: 0,
            has_comments: false,
            field: "",
            in_revenue: false,
        }
    }

    /// `T` from here to the end of the text (whitespace and comments after it), and whether
    /// the text has comments.
    fn read<T: DeserializeOwned>(&mut self) -> Option<(T, bool)> {
        let value = T::deserialize(&mut *self).ok()?;
        self.skip_ws().ok()?;
        (self.at == self.bytes.len()).then_some((value, self.has_comments))
    }

    /// At the start of the second half of the alliances list: take the other thread's
    /// alliances and go on after them. Whether that happened.
    fn splice(&mut self) -> Result<bool> {
        let Some(split) = self.split.as_mut() else {
            return Ok(false);
        };
        if split.at != self.at || self.field != "alliances" || split.alliances.is_some() {
            return Ok(false);
        }
        let (alliances, end, has_comments) = split.tail.recv().ok().flatten().ok_or(GiveUp)?;
        split.alliances = Some((alliances, has_comments));
        self.at = end;
        Ok(true)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Skip whitespace and comments. Called before every token, so the common case — a
    /// token right here — is decided inline.
    #[inline]
    fn skip_ws(&mut self) -> Result<()> {
        match self.peek() {
            Some(b' ' | b'\n' | b'\t' | b'\r' | b'/') => self.skip_ws_slow(),
            _ => Ok(()),
        }
    }

    /// [`Self::skip_ws`] when there is something to skip. A comment inside a block comment
    /// gives up: ron nests them, and counting them here is not worth it.
    #[inline(never)]
    fn skip_ws_slow(&mut self) -> Result<()> {
        while let Some(b) = self.peek() {
            if b == b' ' {
                // Indentation comes in runs.
                self.at += 1 + self.bytes[self.at + 1..]
                    .iter()
                    .take_while(|&&c| c == b' ')
                    .count();
                continue;
            }
            match b {
                b' ' | b'\n' | b'\t' | b'\r' => self.at += 1,
                b'/' => {
                    self.has_comments = true;
                    match self.bytes.get(self.at + 1) {
                        // ron refuses a line comment the file ends in, without a newline.
                        // A NUL byte in a comment: the full path calls the file binary.
                        Some(b'/') => {
                            let n = memchr::memchr(b'\n', &self.bytes[self.at..]).ok_or(GiveUp)?;
                            if memchr::memchr(0, &self.bytes[self.at..self.at + n]).is_some() {
                                return Err(GiveUp);
                            }
                            self.at += n;
                        }
                        Some(b'*') => {
                            let body = &self.bytes[self.at + 2..];
                            let end = memchr::memmem::find(body, b"*/").ok_or(GiveUp)?;
                            if memchr::memmem::find(&body[..end], b"/*").is_some()
                                || memchr::memchr(0, &body[..end]).is_some()
                            {
                                return Err(GiveUp);
                            }
                            self.at += 2 + end + 2;
                        }
                        _ => return Err(GiveUp),
                    }
                }
                _ => break,
            }
        }
        Ok(())
    }

    /// Skip whitespace, then take `b` if it comes next.
    fn eat(&mut self, b: u8) -> Result<bool> {
        self.skip_ws()?;
        if self.peek() == Some(b) {
            self.at += 1;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn expect(&mut self, b: u8) -> Result<()> {
        if self.eat(b)? { Ok(()) } else { Err(GiveUp) }
    }

    /// An identifier (ASCII letters, digits, `_`), after whitespace; `None` if none comes next.
    /// Raw identifiers and byte or raw strings (`r#x`, `b"…"`, `r"…"`) give up.
    fn ident(&mut self) -> Result<Option<&'a str>> {
        self.skip_ws()?;
        let from = self.at;
        match self.peek() {
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => {}
            Some(b) if b >= 0x80 => return Err(GiveUp),
            _ => return Ok(None),
        }
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.at += 1;
        }
        if matches!(self.peek(), Some(b'#' | b'"' | b'\'' | 0x80..)) {
            return Err(GiveUp);
        }
        Ok(Some(&self.text[from..self.at]))
    }

    /// Whether the identifier `word` comes next (whole), taking it if so.
    fn eat_word(&mut self, word: &str) -> Result<bool> {
        self.skip_ws()?;
        let rest = &self.bytes[self.at..];
        let whole = rest.starts_with(word.as_bytes())
            && !rest
                .get(word.len())
                .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80);
        if whole {
            self.at += word.len();
        }
        Ok(whole)
    }

    /// A `"…"` string with its escapes undone. Only `\" \\ \' \n \r \t \u{…}` are read here; a
    /// control character or another escape gives up. Refuses what the pre-scan refuses: a text
    /// over [`MAX_TEXT_BYTES`], and a date- or month-shaped string that is not a valid one.
    fn string(&mut self) -> Result<Cow<'a, str>> {
        self.expect(b'"')?;
        let start = self.at;
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            let n = memchr::memchr2(b'"', b'\\', &self.bytes[self.at..]).ok_or(GiveUp)?;
            let end = self.at + n;
            if self.bytes[self.at..end]
                .iter()
                .any(|&b| b < 0x20 || b == 0x7f)
            {
                return Err(GiveUp);
            }
            self.at = end + 1;
            if self.bytes[end] == b'"' {
                let value = match owned {
                    None => Cow::Borrowed(&self.text[start..end]),
                    Some(mut s) => {
                        s.push_str(&self.text[run..end]);
                        Cow::Owned(s)
                    }
                };
                return check_text(value);
            }
            let s = owned.get_or_insert_with(String::new);
            s.push_str(&self.text[run..end]);
            let escape = self.peek().ok_or(GiveUp)?;
            self.at += 1;
            match escape {
                b'"' => s.push('"'),
                b'\\' => s.push('\\'),
                b'\'' => s.push('\''),
                b'n' => s.push('\n'),
                b'r' => s.push('\r'),
                b't' => s.push('\t'),
                b'u' => {
                    if self.peek() != Some(b'{') {
                        return Err(GiveUp);
                    }
                    let close = memchr::memchr(b'}', &self.bytes[self.at..]).ok_or(GiveUp)?;
                    let hex = &self.text[self.at + 1..self.at + close];
                    if hex.is_empty()
                        || hex.len() > 6
                        || !hex.bytes().all(|b| b.is_ascii_hexdigit())
                    {
                        return Err(GiveUp);
                    }
                    let code = u32::from_str_radix(hex, 16).map_err(|_| GiveUp)?;
                    s.push(char::from_u32(code).ok_or(GiveUp)?);
                    self.at += close + 1;
                }
                _ => return Err(GiveUp),
            }
            run = self.at;
        }
    }

    /// A number token: `-?digits(.digits)?([eE][+-]?digits)?`, no leading zero; whether it
    /// has a fraction or exponent. Anything ron reads differently (`+1`, `1_000`, `0x1f`,
    /// `.5`, `inf`) gives up.
    fn number(&mut self) -> Result<(&'a str, bool)> {
        self.skip_ws()?;
        let from = self.at;
        let digits = |r: &mut Self| {
            let d = r.at;
            while r.peek().is_some_and(|b| b.is_ascii_digit()) {
                r.at += 1;
            }
            r.at - d
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let int_from = self.at;
        let n = digits(self);
        if n == 0 || n > 1 && self.bytes[int_from] == b'0' {
            return Err(GiveUp);
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.at += 1;
            float = true;
            if digits(self) == 0 {
                return Err(GiveUp);
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            float = true;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err(GiveUp);
            }
        }
        if self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b >= 0x80)
        {
            return Err(GiveUp);
        }
        Ok((&self.text[from..self.at], float))
    }

    /// An integer that fits `T`; a commitment id at the top of its range gives up.
    fn integer<T: TryFrom<i128>>(&mut self) -> Result<T> {
        let (token, float) = self.number()?;
        if float {
            return Err(GiveUp);
        }
        let value: i128 = token.parse().map_err(|_| GiveUp)?;
        if self.field == "id" && value > i128::from(MAX_COMMITMENT_ID) {
            return Err(GiveUp);
        }
        T::try_from(value).map_err(|_| GiveUp)
    }

    fn float(&mut self) -> Result<f64> {
        let (token, _) = self.number()?;
        let value: f64 = token.parse().map_err(|_| GiveUp)?;
        if !value.is_finite() || self.in_revenue && value < 0.0 {
            return Err(GiveUp);
        }
        Ok(value)
    }

    /// Whether `close` comes next (left for the caller to take): the list has ended. Trailing
    /// commas are fine.
    fn closes(&mut self, close: u8) -> Result<bool> {
        self.skip_ws()?;
        Ok(self.peek() == Some(close))
    }

    /// After an element: a `,` (then maybe the close) or the close itself.
    fn after_element(&mut self, close: u8) -> Result<()> {
        self.skip_ws()?;
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                Ok(())
            }
            Some(b) if b == close => Ok(()),
            _ => Err(GiveUp),
        }
    }
}

/// What the pre-scan refuses in any string (conservatively: in text fields too, where the full
/// path would accept it).
fn check_text(value: Cow<'_, str>) -> Result<Cow<'_, str>> {
    if value.len() > MAX_TEXT_BYTES {
        return Err(GiveUp);
    }
    let b = value.as_bytes();
    // Most strings are names and prose: one look at the first byte settles them.
    if b.len() > 24
        || !b
            .first()
            .is_some_and(|&c| c.is_ascii_digit() || c == b'-' || c == b'+')
    {
        return Ok(value);
    }
    if plain_date_or_month(b) {
        return Ok(value);
    }
    let shaped = b.contains(&b'-')
        && b.iter()
            .all(|&c| c.is_ascii_digit() || c == b'-' || c == b'+');
    if shaped && date_or_month_problem(&value).is_some() {
        return Err(GiveUp);
    }
    Ok(value)
}

/// `YYYY-MM-DD` or `YYYY-MM` that is a real date or month from year 1 on: what nearly every
/// date-shaped string in a file is, settled without the pre-scan's general check.
fn plain_date_or_month(b: &[u8]) -> bool {
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let ymd = match b.len() {
        10 if b[4] == b'-' && b[7] == b'-' => (digits(0..4), digits(5..7), digits(8..10)),
        7 if b[4] == b'-' => (digits(0..4), digits(5..7), Some(1)),
        _ => return false,
    };
    let (Some(year), Some(month), Some(day)) = ymd else {
        return false;
    };
    year > 0
        && i32::try_from(year)
            .ok()
            .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, month, day))
            .is_some()
}

macro_rules! integers {
    ($($method:ident $visit:ident $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            let value: $t = self.integer()?;
            visitor.$visit(value)
        }
    )*};
}

macro_rules! give_up {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
            Err(GiveUp)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = GiveUp;

    integers!(
        deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64,
        deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16,
        deserialize_i32 visit_i32 i32, deserialize_i64 visit_i64 i64
    );

    // `any` would need to guess a type, `f32` may round differently from ron, and the
    // rest have no place in a portfolio.
    give_up!(
        deserialize_any,
        deserialize_f32,
        deserialize_char,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_unit,
        deserialize_ignored_any
    );

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_f64(self.float()?)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.eat_word("true")? {
            visitor.visit_bool(true)
        } else if self.eat_word("false")? {
            visitor.visit_bool(false)
        } else {
            Err(GiveUp)
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.string()? {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    /// `None`, `Some(x)`, or `x` alone (ron's implicit `Some`, which the loader enables).
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.eat_word("None")? {
            return visitor.visit_none();
        }
        if self.eat_word("Some")? {
            self.expect(b'(')?;
            let value = visitor.visit_some(&mut *self)?;
            self.expect(b')')?;
            return Ok(value);
        }
        visitor.visit_some(self)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.expect(b'[')?;
        let saved = (self.field, std::mem::take(&mut self.in_revenue));
        let value = visitor.visit_seq(Elements { reader: self })?;
        (self.field, self.in_revenue) = saved;
        self.expect(b']')?;
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.expect(b'{')?;
        let saved = (self.field, self.in_revenue);
        self.in_revenue = self.field == "revenue";
        let value = visitor.visit_map(Entries {
            reader: self,
            last_key: None,
        })?;
        (self.field, self.in_revenue) = saved;
        self.expect(b'}')?;
        Ok(value)
    }

    /// `Name(field: value, …)` or `(field: value, …)`; another name gives up (ron refuses it).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        if let Some(given) = self.ident()?
            && given != name
        {
            return Err(GiveUp);
        }
        self.fields(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_enum(self)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let ident = self.ident()?.ok_or(GiveUp)?;
        visitor.visit_borrowed_str(ident)
    }
}

impl<'a> Reader<'a> {
    /// `(field: value, …)` as a map of field names to values.
    fn fields<V: Visitor<'a>>(&mut self, visitor: V) -> Result<V::Value> {
        self.expect(b'(')?;
        let saved = (self.field, std::mem::take(&mut self.in_revenue));
        let value = visitor.visit_map(Fields { reader: self })?;
        (self.field, self.in_revenue) = saved;
        self.expect(b')')?;
        Ok(value)
    }
}

struct Elements<'r, 'a> {
    reader: &'r mut Reader<'a>,
}

impl<'de> SeqAccess<'de> for Elements<'_, 'de> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.reader.closes(b']')? || self.reader.splice()? {
            return Ok(None);
        }
        let value = seed.deserialize(&mut *self.reader)?;
        self.reader.after_element(b']')?;
        Ok(Some(value))
    }
}

struct Fields<'r, 'a> {
    reader: &'r mut Reader<'a>,
}

impl<'de> MapAccess<'de> for Fields<'_, 'de> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.reader.closes(b')')? {
            return Ok(None);
        }
        let name = self.reader.ident()?.ok_or(GiveUp)?;
        self.reader.field = name;
        self.reader.expect(b':')?;
        seed.deserialize(de::value::BorrowedStrDeserializer::<GiveUp>::new(name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let value = seed.deserialize(&mut *self.reader)?;
        self.reader.after_element(b')')?;
        Ok(value)
    }
}

/// A `{ key: value, … }` map whose keys come in order. A key given twice would silently win
/// over the first; the pre-scan names it.
struct Entries<'r, 'a> {
    reader: &'r mut Reader<'a>,
    last_key: Option<Cow<'a, str>>,
}

impl<'de> MapAccess<'de> for Entries<'_, 'de> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.reader.closes(b'}')? {
            return Ok(None);
        }
        let key = self.reader.string()?;
        // In order, as every save writes them, no key can repeat an earlier one. Out of
        // order, the full path checks for keys given twice.
        if self.last_key.as_ref().is_some_and(|last| key <= *last) {
            return Err(GiveUp);
        }
        self.reader.expect(b':')?;
        let value = match &key {
            Cow::Borrowed(s) => seed.deserialize(de::value::BorrowedStrDeserializer::new(s)),
            Cow::Owned(s) => seed.deserialize(de::value::StrDeserializer::new(s)),
        }?;
        self.last_key = Some(key);
        Ok(Some(value))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let value = seed.deserialize(&mut *self.reader)?;
        self.reader.after_element(b'}')?;
        Ok(value)
    }
}

impl<'de> de::EnumAccess<'de> for &mut Reader<'de> {
    type Error = GiveUp;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let ident = self.ident()?.ok_or(GiveUp)?;
        let value = seed.deserialize(de::value::BorrowedStrDeserializer::<GiveUp>::new(ident))?;
        Ok((value, self))
    }
}

impl<'de> de::VariantAccess<'de> for &mut Reader<'de> {
    type Error = GiveUp;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> Result<T::Value> {
        Err(GiveUp)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.fields(visitor)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::generate::generate;
    use crate::sample::NORTHWIND;
    use crate::store::{parse, parse_full, to_canonical_ron};

    /// What the loader makes of `text`, comparable across the two paths.
    fn outcome(
        result: std::result::Result<crate::store::Loaded, crate::store::LoadError>,
    ) -> String {
        match result {
            Ok(l) => format!("{:?} {:?} {}", l.portfolio, l.warnings, l.has_comments),
            Err(e) => format!("error: {e}"),
        }
    }

    fn same_as_full_path(text: &str) {
        let hash = crate::store::content_hash(text.as_bytes());
        if text.trim().is_empty() || text.starts_with('\u{feff}') {
            return;
        }
        if text.contains('\0') {
            let e = parse(text, "t.ron").expect_err("a NUL byte is refused");
            assert!(e.to_string().contains("binary file"), "{e}");
            return;
        }
        assert_eq!(
            outcome(parse(text, "t.ron")),
            outcome(parse_full(text, "t.ron", hash)),
            "fast and full paths differ on:\n{text}"
        );
    }

    #[test]
    fn what_saves_write_takes_the_fast_path() {
        for text in [
            NORTHWIND.to_owned(),
            to_canonical_ron(&generate(30, 7)),
            to_canonical_ron(&generate(3, 1)),
        ] {
            let (portfolio, _) = portfolio(&text).expect("fast path");
            let full = parse_full(&text, "t.ron", 0).expect("loads");
            assert_eq!(portfolio, full.portfolio);
        }
    }

    #[test]
    fn hand_written_ron_takes_the_fast_path_too() {
        let text = r#"
            // my portfolio
            (version: 1, brand: "Glow's \"best\" \u{1F600}", currency: "EUR",
             as_of: "2026-10-01", /* pinned */
             revenue: {"2026-08": 9000, "2026-09": 12.5e3,},
             alliances: [(id: "a", partner: "P", kind: CoMarketing, status: Active,
                          started: "2026-01-05", charter: None,
                          audit: Some((date: "2026-01-05", original_goal: "x")))])
        "#;
        let (p, comments) = portfolio(text).expect("fast path");
        assert!(comments);
        assert_eq!(p.brand, "Glow's \"best\" 😀");
        same_as_full_path(text);
    }

    #[test]
    fn what_the_pre_scan_refuses_goes_the_full_way() {
        let base = to_canonical_ron(&generate(2, 3));
        let month = base.find("\"20").expect("a date or month");
        let cases = [
            base.replacen(
                "currency: \"USD\"",
                "currency: \"USD\", currency: \"EUR\"",
                1,
            ),
            format!("{}\"2026-02-30\"{}", &base[..month], &base[month + 12..]),
            base.replacen(
                "revenue: {",
                r#"revenue: {"2026-10": 1.0, "2026-11": 2.0, "2026-10": 3.0,"#,
                1,
            ),
            base.replacen(
                "revenue: {",
                r#"revenue: {"2026-11": 1.0, "2026-10": 2.0,"#,
                1,
            ),
            base.replacen("version: 1", "version: 2", 1),
            base.replacen("version: 1", "version: 01", 1),
            format!("{base}// no newline at the end"),
            base.replacen("brand: \"", "brand: r\"", 1),
        ];
        for text in cases {
            assert!(portfolio(&text).is_none(), "fast path took:\n{text}");
            same_as_full_path(&text);
        }
    }

    /// Pieces of RON and of near-RON, spliced anywhere into a valid file.
    const PIECES: &[&str] = &[
        "\"",
        "\\",
        ",",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ":",
        "-",
        "1",
        "0",
        "e",
        ".",
        "_",
        "+",
        "/*",
        "*/",
        "//",
        "\n",
        " ",
        "None",
        "Some(",
        "Some",
        "#",
        "r#",
        "b\"",
        "'",
        "inf",
        "NaN",
        "-5.0",
        "1e400",
        "01",
        "0x1F",
        "\\u{41}",
        "\\u{D800}",
        "\\x41",
        "\\0",
        "\0",
        "// \0\n",
        "/* \0 */",
        "\\n",
        "\"2026-13\"",
        "\"2026-02-30\"",
        "\"0000-01-01\"",
        "\"2026-1-5\"",
        "\"+2026-01-01\"",
        "Alliance",
        "Portfolio",
        "Active",
        "true",
        "notes: \"x\",",
        "id: 4294967295,",
        "\"2026-09\": 1.0,",
        "\u{e9}",
        "\u{200b}",
        "\t",
        "\r",
    ];

    fn mutated(base: &'static str) -> impl Strategy<Value = String> {
        proptest::collection::vec(
            (0..base.len(), 0..PIECES.len(), 0usize..4, any::<bool>()),
            1..4,
        )
        .prop_map(move |edits| {
            let mut text = base.to_owned();
            for (at, piece, cut, insert) in edits {
                let mut at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let mut end = (at + cut).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                let piece = if insert { PIECES[piece] } else { "" };
                text.replace_range(at..end, piece);
            }
            text
        })
    }

    fn generated() -> &'static str {
        static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        TEXT.get_or_init(|| to_canonical_ron(&generate(2, 5)))
    }

    fn large() -> &'static str {
        static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        TEXT.get_or_init(|| to_canonical_ron(&generate(60, 9)))
    }

    #[test]
    fn a_large_file_is_read_on_two_cores_as_the_same_portfolio() {
        let text = large();
        let at = second_half(text).expect("large enough to split");
        assert!(text[at..].starts_with("Alliance("));
        let (portfolio, _) = portfolio(text).expect("fast path");
        let full = parse_full(text, "t.ron", 0).expect("loads");
        assert_eq!(portfolio, full.portfolio);
        assert_eq!(portfolio.alliances.len(), 60);
    }

    #[test]
    fn a_split_inside_a_comment_is_read_by_the_first_half_alone() {
        let text = large();
        let at = second_half(text).expect("splits");
        let line = text[..at].rfind('\n').expect("a line");
        // The alliance the split would start at, and the one after it, commented out.
        let end = at
            + text[at..]
                .find("\n        Alliance(")
                .expect("a next alliance");
        let commented = format!(
            "{}\n/*{}*/{}",
            &text[..line],
            &text[line..end],
            &text[end..]
        );
        assert_eq!(second_half(&commented).map(|a| a > line), Some(true));
        let (portfolio, comments) = portfolio(&commented).expect("fast path");
        assert!(comments);
        assert_eq!(portfolio.alliances.len(), 59);
        same_as_full_path(&commented);
    }

    /// Edits near the middle of a large file, where the second thread starts.
    fn mutated_near_the_split() -> impl Strategy<Value = String> {
        let text = large();
        let at = second_half(text).expect("splits");
        proptest::collection::vec((0..4000usize, 0..PIECES.len(), 0usize..4), 1..3).prop_map(
            move |edits| {
                let mut text = text.to_owned();
                for (offset, piece, cut) in edits {
                    let mut from = (at + offset).saturating_sub(2000).min(text.len());
                    while !text.is_char_boundary(from) {
                        from -= 1;
                    }
                    let mut end = (from + cut).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    text.replace_range(from..end, PIECES[piece]);
                }
                text
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn fast_path_agrees_with_ron_around_the_split(text in mutated_near_the_split()) {
            same_as_full_path(&text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Whatever the fast path accepts, the full path loads as the same portfolio with the
        /// same warnings; whatever it gives up on, the full path decides.
        #[test]
        fn fast_path_agrees_with_ron_on_the_sample(text in mutated(NORTHWIND)) {
            same_as_full_path(&text);
        }

        #[test]
        fn fast_path_agrees_with_ron_on_generated_files(text in mutated(generated())) {
            same_as_full_path(&text);
        }
    }
}
