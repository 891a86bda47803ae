//! Keys → actions: the default map of SPEC §4 and the user's `keys.ron` overrides.
//!
//! `keys.ron` maps action names to lists of keys, e.g. `{ "save": ["ctrl-s", "f2"] }`. A user
//! binding replaces that action's default keys. Problems (unknown action, unreadable key, a key
//! bound to two actions) are reported as warnings and the defaults stay for what they touch.

use std::collections::BTreeMap;
use std::fmt;

use super::action::Action;

/// A key with its modifiers, normalised so `Shift` on a printable character is implied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    code: KeyId,
    ctrl: bool,
    alt: bool,
}

/// A key code, independent of any terminal library (and comparable, so keys can be sorted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyId {
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    // Last, so help and the footer name arrows and Enter before their letter aliases.
    Char(char),
}

impl Key {
    /// A key as a front end reports it. Terminals report Ctrl-letters as lowercase and
    /// uppercase letters already carry the shift, so Ctrl-letters are normalised to lowercase.
    pub fn new(code: KeyId, ctrl: bool, alt: bool) -> Self {
        let code = match code {
            KeyId::Char(c) if ctrl => KeyId::Char(c.to_ascii_lowercase()),
            other => other,
        };
        Self { code, ctrl, alt }
    }

    /// The key code without modifiers.
    pub fn code(&self) -> KeyId {
        self.code
    }

    /// Parse `"ctrl-s"`, `"shift-tab"`, `"space"`, `"pgdn"`, `"f2"`, `"?"`, `"G"`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut shift = false;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower
                .strip_prefix("ctrl-")
                .or_else(|| lower.strip_prefix("c-"))
            {
                ctrl = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower
                .strip_prefix("alt-")
                .or_else(|| lower.strip_prefix("m-"))
            {
                alt = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("shift-") {
                shift = true;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                let c = if ctrl { c.to_ascii_lowercase() } else { c };
                KeyId::Char(if shift { c.to_ascii_uppercase() } else { c })
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "space" => KeyId::Char(' '),
                "enter" | "return" => KeyId::Enter,
                "esc" | "escape" => KeyId::Esc,
                "tab" if shift => KeyId::BackTab,
                "tab" => KeyId::Tab,
                "backtab" => KeyId::BackTab,
                "backspace" => KeyId::Backspace,
                "delete" | "del" => KeyId::Delete,
                "insert" | "ins" => KeyId::Insert,
                "up" => KeyId::Up,
                "down" => KeyId::Down,
                "left" => KeyId::Left,
                "right" => KeyId::Right,
                "pageup" | "pgup" => KeyId::PageUp,
                "pagedown" | "pgdn" | "pgdown" => KeyId::PageDown,
                "home" => KeyId::Home,
                "end" => KeyId::End,
                f if f.starts_with('f') && f.len() > 1 => {
                    let n: u8 = f[1..]
                        .parse()
                        .map_err(|_| format!("unknown key {text:?}"))?;
                    if !(1..=24).contains(&n) {
                        return Err(format!("unknown key {text:?}"));
                    }
                    KeyId::F(n)
                }
                _ => return Err(format!("unknown key {text:?}")),
            },
        };
        Ok(Self { code, ctrl, alt })
    }

    /// A printable character without Ctrl or Alt: while a field has focus it is typed, not
    /// acted on.
    pub fn is_typed(&self) -> bool {
        matches!(self.code, KeyId::Char(_)) && !self.ctrl && !self.alt
    }

    fn plain(code: KeyId) -> Self {
        Self {
            code,
            ctrl: false,
            alt: false,
        }
    }

    fn ctrl(c: char) -> Self {
        Self::ctrl_key(KeyId::Char(c))
    }

    fn ctrl_key(code: KeyId) -> Self {
        Self {
            code,
            ctrl: true,
            alt: false,
        }
    }

    fn alt_key(code: KeyId) -> Self {
        Self {
            code,
            ctrl: false,
            alt: true,
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyId::Char(' ') => f.write_str("Space"),
            KeyId::Char(c) => write!(f, "{c}"),
            KeyId::F(n) => write!(f, "F{n}"),
            KeyId::Enter => f.write_str("Enter"),
            KeyId::Esc => f.write_str("Esc"),
            KeyId::Tab => f.write_str("Tab"),
            KeyId::BackTab => f.write_str("Shift-Tab"),
            KeyId::Backspace => f.write_str("Backspace"),
            KeyId::Delete => f.write_str("Del"),
            KeyId::Insert => f.write_str("Ins"),
            KeyId::Up => f.write_str("↑"),
            KeyId::Down => f.write_str("↓"),
            KeyId::Left => f.write_str("←"),
            KeyId::Right => f.write_str("→"),
            KeyId::PageUp => f.write_str("PgUp"),
            KeyId::PageDown => f.write_str("PgDn"),
            KeyId::Home => f.write_str("Home"),
            KeyId::End => f.write_str("End"),
        }
    }
}

/// The live key bindings.
#[derive(Clone, Debug)]
pub struct Keymap {
    bindings: BTreeMap<Key, Action>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut bindings = BTreeMap::new();
        for (action, keys) in default_bindings() {
            for key in keys {
                bindings.insert(key, action);
            }
        }
        Self { bindings }
    }
}

fn default_bindings() -> Vec<(Action, Vec<Key>)> {
    use Action as A;
    use KeyId as K;
    let c = |ch| Key::plain(K::Char(ch));
    let p = Key::plain;
    vec![
        (A::Tab1, vec![c('1')]),
        (A::Tab2, vec![c('2')]),
        (A::Tab3, vec![c('3')]),
        (A::Tab4, vec![c('4')]),
        (A::Tab5, vec![c('5')]),
        (A::NextTab, vec![p(K::Tab)]),
        (A::PrevTab, vec![p(K::BackTab)]),
        (A::Up, vec![p(K::Up), c('k')]),
        (A::Down, vec![p(K::Down), c('j')]),
        (A::Left, vec![p(K::Left), c('h')]),
        (A::Right, vec![p(K::Right), c('l')]),
        (A::PageUp, vec![p(K::PageUp)]),
        (A::PageDown, vec![p(K::PageDown)]),
        (A::Home, vec![p(K::Home), c('g')]),
        (A::End, vec![p(K::End), c('G')]),
        (A::Open, vec![p(K::Enter)]),
        (A::Back, vec![p(K::Esc)]),
        (A::Add, vec![c('a')]),
        (A::Delete, vec![c('d')]),
        // Ctrl- and Alt-arrows also reach the tab while a field is edited; not every terminal
        // delivers both, so both are bound.
        (
            A::MoveUp,
            vec![c('K'), Key::ctrl_key(K::Up), Key::alt_key(K::Up)],
        ),
        (
            A::MoveDown,
            vec![c('J'), Key::ctrl_key(K::Down), Key::alt_key(K::Down)],
        ),
        (A::ToggleDone, vec![c('x'), c(' ')]),
        (A::Filter, vec![c('/')]),
        (A::CycleFilter, vec![c('f')]),
        (A::ToggleAll, vec![c('A')]),
        (A::SortNext, vec![c('o')]),
        (A::SortReverse, vec![c('O')]),
        (A::ShareMode, vec![c('s')]),
        (A::CycleView, vec![c('v')]),
        (A::StartReview, vec![c('r')]),
        (A::Promote, vec![c('p')]),
        (A::WriteDoc, vec![c('w')]),
        (A::Numbers, vec![c('n')]),
        (A::Escalations, vec![c('e')]),
        (A::Settings, vec![c(',')]),
        (A::Details, vec![c('D')]),
        (A::ImportRevenue, vec![c('i')]),
        (A::Publish, vec![c('P')]),
        (A::NextTheme, vec![c('t')]),
        (A::Undo, vec![c('u')]),
        (A::Redo, vec![Key::ctrl('r')]),
        (A::Save, vec![Key::ctrl('s')]),
        (A::SaveAs, vec![c('S')]),
        (A::Help, vec![c('?')]),
        (A::Quit, vec![c('q')]),
    ]
}

impl Keymap {
    /// The action bound to `key`, if any.
    pub fn action_for(&self, key: Key) -> Option<Action> {
        self.bindings.get(&key).copied()
    }

    /// Every key bound to `action`, for help and the footer.
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|(k, _)| *k)
            .collect()
    }

    /// The keys of `action` joined for display (`"x/Space"`), or `"unbound"`.
    pub fn describe(&self, action: Action) -> String {
        let keys = self.keys_for(action);
        if keys.is_empty() {
            "unbound".to_owned()
        } else {
            keys.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("/")
        }
    }

    /// Apply a `keys.ron` text on top of the defaults; returns the warnings.
    pub fn with_user_file(text: &str, source: &str) -> (Self, Vec<String>) {
        let mut keymap = Self::default();
        let mut warnings = Vec::new();
        let user: BTreeMap<String, Vec<String>> = match ron::from_str(text) {
            Ok(map) => map,
            Err(e) => {
                warnings.push(format!("{source}: {e}; using the default keys"));
                return (keymap, warnings);
            }
        };
        let mut wanted: BTreeMap<Action, Vec<Key>> = BTreeMap::new();
        for (name, keys) in &user {
            let Some(action) = Action::from_name(name) else {
                warnings.push(format!("{source}: unknown action {name:?}; ignored"));
                continue;
            };
            let mut parsed = Vec::new();
            for key in keys {
                match Key::parse(key) {
                    Ok(k) => parsed.push(k),
                    Err(e) => warnings.push(format!("{source}: {name}: {e}; ignored")),
                }
            }
            if !parsed.is_empty() {
                wanted.insert(action, parsed);
            }
        }
        // A user key that two user actions claim is a clash: both keep their defaults.
        let mut claimed: BTreeMap<Key, Action> = BTreeMap::new();
        let mut clashing: Vec<Action> = Vec::new();
        for (action, keys) in &wanted {
            for key in keys {
                if let Some(other) = claimed.insert(*key, *action) {
                    warnings.push(format!(
                        "{source}: key {key} is bound to both {} and {}; keeping the defaults",
                        other.name(),
                        action.name()
                    ));
                    clashing.extend([other, *action]);
                }
            }
        }
        for (action, keys) in wanted {
            if clashing.contains(&action) {
                continue;
            }
            keymap.bindings.retain(|_, a| *a != action);
            for key in keys {
                if let Some(previous) = keymap.bindings.insert(key, action)
                    && previous != action
                {
                    warnings.push(format!(
                        "{source}: key {key} now means {} instead of {}",
                        action.name(),
                        previous.name()
                    ));
                }
            }
        }
        (keymap, warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Key {
        Key::parse(text).expect("a key name")
    }

    #[test]
    fn the_map_works_on_keys_without_a_terminal() {
        let km = Keymap::default();
        assert_eq!(km.action_for(key("q")), Some(Action::Quit));
        assert_eq!(km.action_for(key("ctrl-s")), Some(Action::Save));
        // A front end reporting Ctrl with an uppercase letter still means the lowercase chord.
        assert_eq!(
            km.action_for(Key::new(KeyId::Char('S'), true, false)),
            Some(Action::Save)
        );
        assert_eq!(km.action_for(key("shift-tab")), Some(Action::PrevTab));
        assert!(key("a").is_typed() && !key("ctrl-a").is_typed());
    }
}
