//! The layout of the portfolio file: the canonical writer and format-preserving saves (SPEC §2,
//! §10).
//!
//! Both work on a small syntax tree of RON text with byte spans ([`Node`]), read by a
//! lightweight tokenizer here. The canonical writer lets ron serialize the model (so every
//! field, escape and number is ron's own) and then lays the tree out so that each record that
//! can change on its own — an alliance field, a win condition, a commitment, a review, a health
//! score, an escalation, a contact, a monthly value — sits on its own line(s): one change is one
//! line of `git diff`.
//!
//! A format-preserving save compares the canonical trees of the portfolio as loaded and as
//! edited, and splices only what changed into the original text, at the spans of the original
//! tree: comments, blank lines and untouched records stay byte for byte. The result is checked
//! by parsing it back; anything unexpected falls back to the canonical text, so the bytes
//! written always hold exactly the edited portfolio.
//!
//! Why not the RON maintainers' `ron2` (0.3.0) for the tree: it needs Rust 1.90 (this crate
//! declares 1.89), and its "perfect round-trip" printer rewrote our own sample file (it drops the
//! line break between a trailing comma and a closing bracket), so its layout could not be relied
//! on; the spans needed here are a few hundred lines of tokenizer.

use std::ops::Range;

use crate::model::Portfolio;

/// Nesting deeper than this is not a portfolio; the tokenizer gives up rather than recursing.
const MAX_DEPTH: usize = 64;

/// Structs always written one field per line, whatever they hold.
const ALWAYS_EXPANDED: &[&str] = &[
    "Portfolio",
    "Alliance",
    "Charter",
    "WinCondition",
    "Escalation",
];

/// A RON value with the byte span it came from (empty for built trees).
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub span: Range<usize>,
    pub kind: Kind,
}

#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// A string, char, number or identifier, as written.
    Atom(String),
    /// `Name(...)`, `(...)`, `[...]` or `{...}`.
    Group {
        name: Option<String>,
        open: u8,
        /// Byte index of the opening bracket.
        open_at: usize,
        items: Vec<Item>,
    },
}

/// A struct field, tuple element, list element or map entry.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub key: Key,
    pub node: Node,
    /// Where the item starts (its field name or map key).
    pub start: usize,
    /// Byte index of the comma after it, if any.
    pub comma: Option<usize>,
}

#[derive(Clone, Debug)]
pub(crate) enum Key {
    None,
    Field(String),
    Map(Box<Node>),
}

impl Node {
    pub(crate) fn atom(text: &str) -> Self {
        Self {
            span: 0..0,
            kind: Kind::Atom(text.to_owned()),
        }
    }

    pub(crate) fn name(&self) -> Option<&str> {
        match &self.kind {
            Kind::Group { name, .. } => name.as_deref(),
            Kind::Atom(_) => None,
        }
    }

    pub(crate) fn items(&self) -> &[Item] {
        match &self.kind {
            Kind::Group { items, .. } => items,
            Kind::Atom(_) => &[],
        }
    }

    pub(crate) fn items_mut(&mut self) -> Option<&mut Vec<Item>> {
        match &mut self.kind {
            Kind::Group { items, .. } => Some(items),
            Kind::Atom(_) => None,
        }
    }

    /// The value of field `name`, if this is a struct that has it.
    pub(crate) fn field(&self, name: &str) -> Option<&Node> {
        self.items()
            .iter()
            .find(|i| matches!(&i.key, Key::Field(f) if f == name))
            .map(|i| &i.node)
    }

    fn open(&self) -> Option<u8> {
        match &self.kind {
            Kind::Group { open, .. } => Some(*open),
            Kind::Atom(_) => None,
        }
    }

    fn is_struct(&self) -> bool {
        self.open() == Some(b'(') && self.items().iter().any(|i| matches!(i.key, Key::Field(_)))
    }

    /// `Some(x)`: the `x`.
    pub(crate) fn some_inner(&self) -> Option<&Node> {
        match (&self.kind, self.items()) {
            (Kind::Group { name: Some(n), .. }, [only]) if n == "Some" => Some(&only.node),
            _ => None,
        }
    }
}

impl Key {
    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::None, Self::None) => true,
            (Self::Field(a), Self::Field(b)) => a == b,
            (Self::Map(a), Self::Map(b)) => same(a, b),
            _ => false,
        }
    }

    pub(crate) fn text(&self) -> String {
        match self {
            Self::None => String::new(),
            Self::Field(f) => f.clone(),
            Self::Map(k) => render_inline(k),
        }
    }
}

/// Whether two trees hold the same value as written (spans and layout ignored).
pub(crate) fn same(a: &Node, b: &Node) -> bool {
    match (&a.kind, &b.kind) {
        (Kind::Atom(x), Kind::Atom(y)) => x == y,
        (
            Kind::Group {
                name: n1,
                open: o1,
                items: i1,
                ..
            },
            Kind::Group {
                name: n2,
                open: o2,
                items: i2,
                ..
            },
        ) => {
            n1 == n2
                && o1 == o2
                && i1.len() == i2.len()
                && i1
                    .iter()
                    .zip(i2)
                    .all(|(x, y)| x.key.same(&y.key) && same(&x.node, &y.node))
        }
        _ => false,
    }
}

/// Why RON text could not be read into a tree (the caller falls back to canonical output).
#[derive(Debug)]
pub(crate) struct TreeError;

struct Lexer<'a> {
    text: &'a str,
    at: usize,
    /// Which alliances of the top-level list to keep whole; the others keep only their span.
    /// A save rewrites only what changed, and the tree of every alliance of a large file was
    /// most of a save's memory (about 1 GiB at 10,000 alliances; issue 14).
    keep: Option<&'a dyn Fn(&Node) -> bool>,
    /// The next group is the top-level `alliances` list.
    alliances_next: bool,
}

impl Lexer<'_> {
    fn bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    fn peek2(&self) -> Option<u8> {
        self.bytes().get(self.at + 1).copied()
    }

    /// Skip whitespace, `//` comments, nested `/* */` comments and `#![...]` attributes.
    fn skip_trivia(&mut self) -> Result<(), TreeError> {
        loop {
            match (self.peek(), self.peek2()) {
                (Some(b), _) if b.is_ascii_whitespace() => self.at += 1,
                (Some(b'/'), Some(b'/')) => {
                    while let Some(b) = self.peek() {
                        if b == b'\n' {
                            break;
                        }
                        self.at += 1;
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    self.at += 2;
                    let mut depth = 1;
                    while depth > 0 {
                        match (self.peek(), self.peek2()) {
                            (Some(b'/'), Some(b'*')) => {
                                depth += 1;
                                self.at += 2;
                            }
                            (Some(b'*'), Some(b'/')) => {
                                depth -= 1;
                                self.at += 2;
                            }
                            (Some(_), _) => self.at += 1,
                            (None, _) => return Err(TreeError),
                        }
                    }
                }
                (Some(b'#'), Some(b'!')) => {
                    while let Some(b) = self.peek() {
                        self.at += 1;
                        if b == b']' {
                            break;
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    /// A quoted string or char starting at the quote; returns its end.
    fn quoted(&mut self, quote: u8) -> Result<(), TreeError> {
        self.at += 1;
        loop {
            match self.peek() {
                None => return Err(TreeError),
                Some(b'\\') => self.at += 2,
                Some(b) if b == quote => {
                    self.at += 1;
                    return Ok(());
                }
                Some(_) => self.at += 1,
            }
        }
    }

    /// `r#"…"#` (any number of `#`), the `r` or `br` already at `self.at`.
    fn raw_string(&mut self) -> Result<(), TreeError> {
        while self.peek() != Some(b'#') && self.peek() != Some(b'"') {
            self.at += 1;
        }
        let hashes = self.bytes()[self.at..]
            .iter()
            .take_while(|&&b| b == b'#')
            .count();
        self.at += hashes;
        if self.peek() != Some(b'"') {
            return Err(TreeError);
        }
        self.at += 1;
        let close = format!("\"{}", "#".repeat(hashes));
        let rest = self.text.get(self.at..).ok_or(TreeError)?;
        let end = rest.find(&close).ok_or(TreeError)?;
        self.at += end + close.len();
        Ok(())
    }

    fn is_raw_string_start(&self) -> bool {
        let rest = &self.bytes()[self.at..];
        let rest = rest.strip_prefix(b"b").unwrap_or(rest);
        rest.strip_prefix(b"r")
            .is_some_and(|r| r.iter().find(|&&b| b != b'#') == Some(&b'"'))
    }

    fn value(&mut self, depth: usize) -> Result<Node, TreeError> {
        if depth > MAX_DEPTH {
            return Err(TreeError);
        }
        self.skip_trivia()?;
        let start = self.at;
        match self.peek().ok_or(TreeError)? {
            open @ (b'[' | b'{' | b'(') => self.group(None, open, start, depth),
            q @ (b'"' | b'\'') => {
                self.quoted(q)?;
                Ok(self.atom_from(start))
            }
            b'b' if self.peek2() == Some(b'"') => {
                self.at += 1;
                self.quoted(b'"')?;
                Ok(self.atom_from(start))
            }
            _ if self.is_raw_string_start() => {
                self.raw_string()?;
                Ok(self.atom_from(start))
            }
            _ => {
                self.word()?;
                let end = self.at;
                let word = self.text.get(start..end).ok_or(TreeError)?.to_owned();
                self.skip_trivia()?;
                if self.peek() == Some(b'(') && !word.starts_with(|c: char| c.is_ascii_digit()) {
                    let open_at = self.at;
                    self.group(Some(word), b'(', open_at, depth).map(|n| Node {
                        span: start..n.span.end,
                        kind: n.kind,
                    })
                } else {
                    self.at = end;
                    Ok(Node {
                        span: start..end,
                        kind: Kind::Atom(word),
                    })
                }
            }
        }
    }

    fn atom_from(&self, start: usize) -> Node {
        Node {
            span: start..self.at,
            kind: Kind::Atom(self.text.get(start..self.at).unwrap_or_default().to_owned()),
        }
    }

    /// An identifier or number: up to the next delimiter.
    fn word(&mut self) -> Result<(), TreeError> {
        let start = self.at;
        if self.bytes()[self.at..].starts_with(b"r#") {
            self.at += 2;
        }
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() || b"()[]{},:\"'/".contains(&b) {
                break;
            }
            self.at += 1;
        }
        if self.at == start {
            Err(TreeError)
        } else {
            Ok(())
        }
    }

    fn group(
        &mut self,
        name: Option<String>,
        open: u8,
        open_at: usize,
        depth: usize,
    ) -> Result<Node, TreeError> {
        let close = match open {
            b'[' => b']',
            b'{' => b'}',
            _ => b')',
        };
        self.at = open_at + 1;
        let prune = std::mem::take(&mut self.alliances_next) && open == b'[' && depth == 1;
        let mut items = Vec::new();
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(close) {
                self.at += 1;
                break;
            }
            let start = self.at;
            let key = match open {
                b'{' => {
                    let k = self.value(depth + 1)?;
                    self.colon()?;
                    Key::Map(Box::new(k))
                }
                b'(' => {
                    let mark = self.at;
                    if self.word().is_ok() {
                        let field = self.text.get(mark..self.at).ok_or(TreeError)?.to_owned();
                        self.skip_trivia()?;
                        if self.peek() == Some(b':') {
                            self.at += 1;
                            self.alliances_next = depth == 0 && field == "alliances";
                            Key::Field(field)
                        } else {
                            self.at = mark;
                            Key::None
                        }
                    } else {
                        self.at = mark;
                        Key::None
                    }
                }
                _ => Key::None,
            };
            self.alliances_next &= open == b'(' && depth == 0;
            let mut node = self.value(depth + 1)?;
            if prune && self.keep.is_some_and(|keep| !keep(&node)) {
                node.kind = Kind::Atom(String::new());
            }
            self.skip_trivia()?;
            let comma = if self.peek() == Some(b',') {
                self.at += 1;
                Some(self.at - 1)
            } else if self.peek() == Some(close) {
                None
            } else {
                return Err(TreeError);
            };
            items.push(Item {
                key,
                node,
                start,
                comma,
            });
        }
        Ok(Node {
            span: open_at..self.at,
            kind: Kind::Group {
                name,
                open,
                open_at,
                items,
            },
        })
    }

    fn colon(&mut self) -> Result<(), TreeError> {
        self.skip_trivia()?;
        if self.peek() == Some(b':') {
            self.at += 1;
            Ok(())
        } else {
            Err(TreeError)
        }
    }
}

/// Read RON text into a tree with byte spans.
pub(crate) fn parse_tree(text: &str) -> Result<Node, TreeError> {
    parse_tree_keeping(text, None)
}

/// [`parse_tree`], keeping whole only the alliances `keep` accepts: the others are empty atoms
/// with their spans, enough to place the edits around them.
fn parse_tree_keeping<'a>(
    text: &'a str,
    keep: Option<&'a dyn Fn(&Node) -> bool>,
) -> Result<Node, TreeError> {
    let mut lexer = Lexer {
        text,
        at: 0,
        keep,
        alliances_next: false,
    };
    if text.starts_with('\u{feff}') {
        lexer.at = '\u{feff}'.len_utf8();
    }
    let node = lexer.value(0)?;
    lexer.skip_trivia()?;
    if lexer.at == text.len() {
        Ok(node)
    } else {
        Err(TreeError)
    }
}

/// The tree of a portfolio as ron serializes it (every field, struct names).
pub(crate) fn tree_of(portfolio: &Portfolio) -> Result<Node, ron::Error> {
    tree_of_value(portfolio)
}

fn tree_of_value<T: serde::Serialize>(value: &T) -> Result<Node, ron::Error> {
    // No layout: the tree is laid out by `render`, and less text is faster to read back.
    let config = ron::ser::PrettyConfig::new()
        .struct_names(true)
        .new_line("")
        .indentor("")
        .separator("");
    let text = ron::ser::to_string_pretty(value, config)?;
    parse_tree(&text).map_err(|TreeError| ron::Error::Message("unreadable RON".to_owned()))
}

/// The trees of two versions of a portfolio, each alliance that is the same in both (by id)
/// stood in for by one atom: only what changed is serialized and compared.
fn trees_of_changes(original: &Portfolio, edited: &Portfolio) -> Result<(Node, Node), ron::Error> {
    // By id, so that comparing two versions of 10,000 alliances is not 10,000² lookups.
    let by_id = |p: &'_ Portfolio| -> std::collections::HashMap<String, usize> {
        p.alliances
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect()
    };
    let (original_ids, edited_ids) = (by_id(original), by_id(edited));
    let tree = |p: &Portfolio,
                other: &Portfolio,
                other_ids: &std::collections::HashMap<String, usize>|
     -> Result<Node, ron::Error> {
        let shell = Portfolio {
            version: p.version,
            brand: p.brand.clone(),
            currency: p.currency.clone(),
            as_of: p.as_of,
            revenue: p.revenue.clone(),
            alliances: crate::model::Alliances::new(),
            pipeline: p.pipeline.clone(),
            publish_to: p.publish_to.clone(),
        };
        let mut tree = tree_of_value(&shell)?;
        let mut alliances = Vec::with_capacity(p.alliances.len());
        for a in &p.alliances {
            let node = if other_ids
                .get(&a.id)
                .is_some_and(|&i| other.alliances[i] == *a)
            {
                Node::atom(&format!("Unchanged({:?})", a.id))
            } else {
                tree_of_value(a)?
            };
            alliances.push(Item {
                key: Key::None,
                node,
                start: 0,
                comma: None,
            });
        }
        let slot = tree
            .items_mut()
            .and_then(|items| {
                items
                    .iter_mut()
                    .find(|i| matches!(&i.key, Key::Field(f) if f == "alliances"))
            })
            .and_then(|i| i.node.items_mut())
            .ok_or_else(|| ron::Error::Message("no alliances field".to_owned()))?;
        *slot = alliances;
        Ok(tree)
    };
    Ok((
        tree(original, edited, &edited_ids)?,
        tree(edited, original, &original_ids)?,
    ))
}

/// Whether a node is laid out over several lines.
fn expands(node: &Node) -> bool {
    match &node.kind {
        Kind::Atom(_) => false,
        Kind::Group {
            name, open, items, ..
        } => match open {
            b'{' => !items.is_empty(),
            b'[' => items
                .iter()
                .any(|i| matches!(i.node.kind, Kind::Group { .. })),
            _ if node.is_struct() => {
                name.as_deref()
                    .is_some_and(|n| ALWAYS_EXPANDED.contains(&n))
                    || items.iter().any(|i| expands(&i.node))
            }
            _ => false,
        },
    }
}

/// The canonical text of `node`, its continuation lines indented from `indent`.
pub(crate) fn render(node: &Node, indent: &str) -> String {
    let mut out = String::new();
    render_into(node, indent, &mut out);
    out
}

/// `node` on one line, for messages.
pub(crate) fn render_inline(node: &Node) -> String {
    let mut out = String::new();
    inline_into(node, &mut out);
    out
}

fn push_key(key: &Key, out: &mut String) {
    match key {
        Key::None => {}
        Key::Field(f) => {
            out.push_str(f);
            out.push_str(": ");
        }
        Key::Map(k) => {
            inline_into(k, out);
            out.push_str(": ");
        }
    }
}

fn closer(open: u8) -> char {
    match open {
        b'[' => ']',
        b'{' => '}',
        _ => ')',
    }
}

fn inline_into(node: &Node, out: &mut String) {
    match &node.kind {
        Kind::Atom(a) => out.push_str(a),
        Kind::Group {
            name, open, items, ..
        } => {
            if let Some(n) = name {
                out.push_str(n);
            }
            out.push(char::from(*open));
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_key(&item.key, out);
                inline_into(&item.node, out);
            }
            out.push(closer(*open));
        }
    }
}

fn render_into(node: &Node, indent: &str, out: &mut String) {
    match &node.kind {
        Kind::Group {
            name, open, items, ..
        } if expands(node) && (*open != b'(' || node.is_struct()) => {
            if let Some(n) = name {
                out.push_str(n);
            }
            out.push(char::from(*open));
            out.push('\n');
            let inner = format!("{indent}    ");
            for item in items {
                out.push_str(&inner);
                push_key(&item.key, out);
                render_into(&item.node, &inner, out);
                out.push_str(",\n");
            }
            out.push_str(indent);
            out.push(closer(*open));
        }
        Kind::Group {
            name, open, items, ..
        } if *open == b'(' && !node.is_struct() => {
            // `Some(…)` and other tuples wrap their content without a line of their own.
            if let Some(n) = name {
                out.push_str(n);
            }
            out.push('(');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render_into(&item.node, indent, out);
            }
            out.push(')');
        }
        _ => inline_into(node, out),
    }
}

/// The canonical text of a whole portfolio.
pub(crate) fn canonical(portfolio: &Portfolio) -> Result<String, ron::Error> {
    let mut text = render(&tree_of(portfolio)?, "");
    text.push('\n');
    Ok(text)
}

/// One replacement of original bytes.
struct Edit {
    range: Range<usize>,
    text: String,
}

/// The leading whitespace of the line holding byte `at`.
fn indent_at(text: &str, at: usize) -> &str {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let rest = &text[line_start..];
    let len = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    &rest[..len]
}

/// The byte just past the end of the line holding byte `at` (its `\n` excluded).
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i)
}

fn starts_line(text: &str, at: usize) -> bool {
    text[..at]
        .rsplit('\n')
        .next()
        .is_some_and(|before| before.trim().is_empty())
}

struct Splicer<'a> {
    text: &'a str,
    edits: Vec<Edit>,
}

impl Splicer<'_> {
    fn replace(&mut self, file: &Node, with: &Node) {
        let indent = indent_at(self.text, file.span.start).to_owned();
        self.edits.push(Edit {
            range: file.span.clone(),
            text: render(with, &indent),
        });
    }

    /// Make `file` (which holds `old`) hold `new`, changing as little text as possible.
    fn patch(&mut self, file: &Node, old: &Node, new: &Node) -> Result<(), TreeError> {
        if same(old, new) {
            return Ok(());
        }
        // `implicit_some`: the file wrote `x` where the model has `Some(x)`.
        if let Some(old_inner) = old.some_inner()
            && file.name() != Some("Some")
        {
            if let Some(new_inner) = new.some_inner() {
                return self.patch(file, old_inner, new_inner);
            }
            self.replace(file, new);
            return Ok(());
        }
        let (
            Kind::Group {
                name: on, open: oo, ..
            },
            Kind::Group {
                name: nn, open: no, ..
            },
            Kind::Group {
                name: fname,
                open: fo,
                ..
            },
        ) = (&old.kind, &new.kind, &file.kind)
        else {
            self.replace(file, new);
            return Ok(());
        };
        if on != nn
            || oo != no
            || fo != oo
            || (fname.is_some() && fname != on)
            || file.items().is_empty()
        {
            self.replace(file, new);
            return Ok(());
        }
        match oo {
            b'{' => self.patch_map(file, old, new),
            b'[' => self.patch_seq(file, old, new),
            _ if old.is_struct() && new.is_struct() => self.patch_struct(file, old, new),
            _ if old.items().len() == new.items().len()
                && file.items().len() == old.items().len() =>
            {
                for ((f, o), n) in file.items().iter().zip(old.items()).zip(new.items()) {
                    self.patch(&f.node, &o.node, &n.node)?;
                }
                Ok(())
            }
            _ => {
                self.replace(file, new);
                Ok(())
            }
        }
    }

    fn patch_struct(&mut self, file: &Node, old: &Node, new: &Node) -> Result<(), TreeError> {
        let find = |n: &Node, key: &Key| n.items().iter().position(|i| i.key.same(key));
        let mut last_present: Option<usize> = None;
        for item in new.items() {
            let old_item = find(old, &item.key)
                .and_then(|i| old.items().get(i))
                .ok_or(TreeError)?;
            match find(file, &item.key) {
                Some(fi) => {
                    self.patch(&file.items()[fi].node, &old_item.node, &item.node)?;
                    last_present = Some(fi);
                }
                None if same(&old_item.node, &item.node) => {}
                None => self.insert(file, last_present, item),
            }
        }
        if file.items().iter().any(|f| find(new, &f.key).is_none()) {
            return Err(TreeError);
        }
        Ok(())
    }

    fn patch_map(&mut self, file: &Node, old: &Node, new: &Node) -> Result<(), TreeError> {
        let key_text = |i: &Item| i.key.text();
        let file_keys: Vec<String> = file.items().iter().map(key_text).collect();
        let pos = |keys: &[String], k: &str| keys.iter().position(|x| x == k);
        // An added key goes after the file entry with the greatest smaller key.
        for item in new.items() {
            let k = key_text(item);
            match (
                old.items().iter().find(|o| key_text(o) == k),
                pos(&file_keys, &k),
            ) {
                (Some(o), Some(fi)) => self.patch(&file.items()[fi].node, &o.node, &item.node)?,
                (Some(_), None) => return Err(TreeError),
                (None, _) => {
                    let after = file_keys
                        .iter()
                        .enumerate()
                        .filter(|(_, fk)| fk.as_str() < k.as_str())
                        .max_by(|a, b| a.1.cmp(b.1))
                        .map(|(i, _)| i);
                    self.insert(file, after, item);
                }
            }
        }
        for (fi, fk) in file_keys.iter().enumerate() {
            if !new.items().iter().any(|n| &key_text(n) == fk) {
                self.remove(file, fi);
            }
        }
        Ok(())
    }

    fn patch_seq(&mut self, file: &Node, old: &Node, new: &Node) -> Result<(), TreeError> {
        if file.items().len() != old.items().len() {
            return Err(TreeError);
        }
        let old_keys = identity_keys(old);
        let new_keys = identity_keys(new);
        let unique = |keys: &[String]| {
            let mut sorted = keys.to_vec();
            sorted.sort();
            sorted.windows(2).all(|w| w[0] != w[1])
        };
        if !unique(&old_keys) || !unique(&new_keys) {
            if old.items().len() == new.items().len() {
                for ((f, o), n) in file.items().iter().zip(old.items()).zip(new.items()) {
                    self.patch(&f.node, &o.node, &n.node)?;
                }
            } else {
                self.replace(file, new);
            }
            return Ok(());
        }
        // Positions by key: a list may hold 10,000 alliances.
        let old_at: std::collections::HashMap<&String, usize> =
            old_keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
        let new_has: std::collections::HashSet<&String> = new_keys.iter().collect();
        // Kept records must keep their order; otherwise the list is rewritten.
        let kept_old: Vec<usize> = (0..old_keys.len())
            .filter(|&i| new_has.contains(&old_keys[i]))
            .collect();
        let kept_new: Vec<&String> = new_keys.iter().filter(|k| old_at.contains_key(k)).collect();
        if kept_old
            .iter()
            .map(|&i| &old_keys[i])
            .ne(kept_new.iter().copied())
        {
            self.replace(file, new);
            return Ok(());
        }
        for (oi, key) in old_keys.iter().enumerate() {
            if !new_has.contains(key) {
                self.remove(file, oi);
            }
        }
        let mut anchor: Option<usize> = None;
        for (ni, key) in new_keys.iter().enumerate() {
            match old_at.get(key).copied() {
                Some(oi) => {
                    self.patch(
                        &file.items()[oi].node,
                        &old.items()[oi].node,
                        &new.items()[ni].node,
                    )?;
                    anchor = Some(oi);
                }
                None => self.insert(file, anchor, &new.items()[ni]),
            }
        }
        Ok(())
    }

    /// Insert `item` into the container `file` after its item `after` (or first).
    fn insert(&mut self, file: &Node, after: Option<usize>, item: &Item) {
        let Kind::Group { open_at, .. } = &file.kind else {
            return;
        };
        let items = file.items();
        let multiline = self.text[file.span.clone()].contains('\n');
        let item_indent = match items.first() {
            Some(first) if multiline && starts_line(self.text, first.start) => {
                indent_at(self.text, first.start).to_owned()
            }
            _ => format!("{}    ", indent_at(self.text, file.span.start)),
        };
        let mut body = String::new();
        push_key(&item.key, &mut body);
        if multiline {
            render_into(&item.node, &item_indent, &mut body);
        } else {
            inline_into(&item.node, &mut body);
        }
        let (at, text) = match (after.and_then(|i| items.get(i)), multiline) {
            (Some(prev), true) => {
                if prev.comma.is_none() {
                    self.edits.push(Edit {
                        range: prev.node.span.end..prev.node.span.end,
                        text: ",".to_owned(),
                    });
                }
                let end = line_end(self.text, prev.comma.unwrap_or(prev.node.span.end));
                (end, format!("\n{item_indent}{body},"))
            }
            (Some(prev), false) => (prev.node.span.end, format!(", {body}")),
            (None, true) => (open_at + 1, format!("\n{item_indent}{body},")),
            (None, false) => (
                items.first().map_or(open_at + 1, |f| f.start),
                format!("{body}, "),
            ),
        };
        self.edits.push(Edit {
            range: at..at,
            text,
        });
    }

    /// Remove the container's item `index`, with its line if it has one to itself.
    fn remove(&mut self, file: &Node, index: usize) {
        let items = file.items();
        let Some(item) = items.get(index) else {
            return;
        };
        let end = item.comma.map_or(item.node.span.end, |c| c + 1);
        let own_line = starts_line(self.text, item.start)
            && self.text[end..line_end(self.text, end)].trim().is_empty();
        let range = if own_line {
            let line_start = self.text[..item.start].rfind('\n').map_or(0, |i| i + 1);
            line_start..(line_end(self.text, end) + 1).min(self.text.len())
        } else if item.comma.is_some() {
            let rest = &self.text[end..];
            item.start..end + (rest.len() - rest.trim_start_matches(' ').len())
        } else if let Some(prev) = index.checked_sub(1).and_then(|i| items.get(i)) {
            prev.comma.unwrap_or(prev.node.span.end)..item.node.span.end
        } else {
            item.start..item.node.span.end
        };
        self.edits.push(Edit {
            range,
            text: String::new(),
        });
    }
}

/// The identity of each element of a list: its struct name and the fields that name it
/// (SPEC §10: alliances by id, commitments by id, reviews by kind and date, health scores by
/// date, escalations by raised date and issue, intakes by partner and submitted date; others by
/// their first field), with a repeat count so equal keys stay apart.
pub(crate) fn identity_keys(list: &Node) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    list.items()
        .iter()
        .map(|item| {
            let base = identity(&item.node);
            let count = seen.entry(base.clone()).or_insert(0);
            let n = *count;
            *count += 1;
            if n == 0 {
                base
            } else {
                format!("{base} ({})", n + 1)
            }
        })
        .collect()
}

/// The identity of one record (see [`identity_keys`]).
pub(crate) fn identity(node: &Node) -> String {
    let Some(name) = node.name() else {
        return render_inline(node);
    };
    let fields: &[&str] = match name {
        "EscalationItem" => &["raised", "issue"],
        "Intake" => &["partner", "submitted"],
        _ => &[],
    };
    let parts: Vec<String> = if fields.is_empty() {
        node.items()
            .first()
            .map(|i| render_inline(&i.node))
            .into_iter()
            .collect()
    } else {
        fields
            .iter()
            .filter_map(|f| node.field(f))
            .map(render_inline)
            .collect()
    };
    format!("{name} {}", parts.join(" "))
}

/// `edited`, written over `original_text` (which holds `original`): untouched records, comments
/// and blank lines are kept byte for byte, changed records are written canonically. When the
/// original text is absent or cannot be followed, the canonical text.
pub fn render_preserving(original_text: &str, original: &Portfolio, edited: &Portfolio) -> String {
    try_render_preserving(Some(original_text), original, edited)
        .unwrap_or_else(|_| crate::store::to_canonical_ron(edited))
}

/// The text a save of `portfolio` to `path` writes: the file now at `path` (if it loads) with
/// only what changed rewritten, else the canonical text. This is the one place a save decides
/// its bytes; how they reach the disk is the store's business.
pub fn text_to_save(path: &std::path::Path, portfolio: &Portfolio) -> Result<String, ron::Error> {
    // The file's text and what it held are let go of before the spliced text is read back:
    // at 10,000 alliances each is 60 MB or more (issue 14).
    let spliced = {
        let Some((text, before)) = std::fs::read_to_string(path)
            .ok()
            .and_then(|text| read(&text).map(|p| (text, p)))
        else {
            return crate::store::try_to_canonical_ron(portfolio);
        };
        if before == *portfolio {
            return Ok(text);
        }
        splice(&text, &before, portfolio)
    };
    match spliced {
        Some(spliced) if reads_as(&spliced, portfolio) => Ok(spliced),
        _ => crate::store::try_to_canonical_ron(portfolio),
    }
}

/// [`render_preserving`] with an optional original, reporting ron's error.
pub fn try_render_preserving(
    original_text: Option<&str>,
    original: &Portfolio,
    edited: &Portfolio,
) -> Result<String, ron::Error> {
    let canonical = || crate::store::try_to_canonical_ron(edited);
    let Some(text) = original_text else {
        return canonical();
    };
    if original == edited {
        return Ok(text.to_owned());
    }
    match splice(text, original, edited) {
        Some(spliced) if reads_as(&spliced, edited) => Ok(spliced),
        _ => canonical(),
    }
}

fn splice(text: &str, original: &Portfolio, edited: &Portfolio) -> Option<String> {
    // Alliances the same in both are never looked into: only their place in the file matters.
    fn by_id(p: &Portfolio) -> std::collections::HashMap<&str, usize> {
        p.alliances
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect()
    }
    let (original_ids, edited_ids) = (by_id(original), by_id(edited));
    let changed: std::collections::HashSet<&str> = edited
        .alliances
        .iter()
        .filter(|a| {
            original_ids
                .get(a.id.as_str())
                .is_none_or(|&i| original.alliances[i] != **a)
        })
        .chain(
            original
                .alliances
                .iter()
                .filter(|a| !edited_ids.contains_key(a.id.as_str())),
        )
        .map(|a| a.id.as_str())
        .collect();
    let keep = |node: &Node| alliance_id(node).is_none_or(|id| changed.contains(id));
    let file = parse_tree_keeping(text, Some(&keep)).ok()?;
    let (old, new) = trees_of_changes(original, edited).ok()?;
    let mut splicer = Splicer {
        text,
        edits: Vec::new(),
    };
    splicer.patch(&file, &old, &new).ok()?;
    let mut edits = splicer.edits;
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 256);
    let mut at = 0;
    for e in &edits {
        if e.range.start < at {
            return None;
        }
        out.push_str(text.get(at..e.range.start)?);
        out.push_str(&crate::store::plain_apostrophes(&e.text));
        at = e.range.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// The portfolio in `text`, read as the store reads it (without its checks and messages).
fn read(text: &str) -> Option<Portfolio> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some((portfolio, _)) = super::fast::portfolio(text) {
        return Some(portfolio);
    }
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str::<Portfolio>(text.strip_prefix('\u{feff}').unwrap_or(text))
        .ok()
}

/// The id an alliance node in the file gives itself, when it is a plain string.
fn alliance_id(node: &Node) -> Option<&str> {
    let id = node
        .items()
        .iter()
        .find(|i| matches!(&i.key, Key::Field(f) if f == "id"))?;
    match &id.node.kind {
        Kind::Atom(text) => text
            .strip_prefix('"')?
            .strip_suffix('"')
            .filter(|id| !id.contains('\\')),
        Kind::Group { .. } => None,
    }
}

/// Whether `text` loads as exactly `portfolio`.
fn reads_as(text: &str, portfolio: &Portfolio) -> bool {
    read(text).is_some_and(|p| &p == portfolio)
}

#[cfg(test)]
mod tests;
