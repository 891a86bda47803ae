//! Terminal keys → the application's keys: crossterm's events become [`Key`]s, which the
//! headless [`Keymap`] maps to actions.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::action::Action;
use crate::app::keymap::{Key, KeyId, Keymap};

/// The key of a terminal event, or `None` for keys the keymap cannot bind.
pub fn key_of(event: &KeyEvent) -> Option<Key> {
    let code = match event.code {
        KeyCode::Char(c) => KeyId::Char(c),
        KeyCode::F(n) => KeyId::F(n),
        KeyCode::Enter => KeyId::Enter,
        KeyCode::Esc => KeyId::Esc,
        KeyCode::Tab => KeyId::Tab,
        KeyCode::BackTab => KeyId::BackTab,
        KeyCode::Backspace => KeyId::Backspace,
        KeyCode::Delete => KeyId::Delete,
        KeyCode::Insert => KeyId::Insert,
        KeyCode::Up => KeyId::Up,
        KeyCode::Down => KeyId::Down,
        KeyCode::Left => KeyId::Left,
        KeyCode::Right => KeyId::Right,
        KeyCode::PageUp => KeyId::PageUp,
        KeyCode::PageDown => KeyId::PageDown,
        KeyCode::Home => KeyId::Home,
        KeyCode::End => KeyId::End,
        _ => return None,
    };
    Some(Key::new(
        code,
        event.modifiers.contains(KeyModifiers::CONTROL),
        event.modifiers.contains(KeyModifiers::ALT),
    ))
}

/// [`Key::from_event`] for code that reads terminal events.
pub trait KeyFromEvent: Sized {
    /// The key of a terminal event, or `None` for keys the keymap cannot bind.
    fn from_event(event: &KeyEvent) -> Option<Self>;
}

impl KeyFromEvent for Key {
    fn from_event(event: &KeyEvent) -> Option<Self> {
        key_of(event)
    }
}

/// [`Keymap`] lookups straight from terminal events.
pub trait KeymapEvents {
    /// The action bound to a key event, if any.
    fn action(&self, event: &KeyEvent) -> Option<Action>;
}

impl KeymapEvents for Keymap {
    fn action(&self, event: &KeyEvent) -> Option<Action> {
        self.action_for(key_of(event)?)
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::KeymapEvents;
    use crate::app::action::Action;
    use crate::app::keymap::Keymap;

    fn ev(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn defaults_follow_the_spec() {
        let km = Keymap::default();
        assert_eq!(
            km.action(&ev(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            Some(Action::Save)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('s'), KeyModifiers::NONE)),
            Some(Action::ShareMode)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('r'), KeyModifiers::CONTROL)),
            Some(Action::Redo)
        );
        assert_eq!(
            km.action(&ev(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevTab)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char(' '), KeyModifiers::NONE)),
            Some(Action::ToggleDone)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::End)
        );
        assert_eq!(km.describe(Action::ToggleDone), "Space/x");
        assert_eq!(
            km.action(&ev(KeyCode::Char('K'), KeyModifiers::SHIFT)),
            Some(Action::MoveUp)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Down, KeyModifiers::CONTROL)),
            Some(Action::MoveDown)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Up, KeyModifiers::ALT)),
            Some(Action::MoveUp)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Down, KeyModifiers::NONE)),
            Some(Action::Down),
            "a plain arrow still moves the selection"
        );
    }

    #[test]
    fn every_action_has_a_default_key() {
        let km = Keymap::default();
        for action in Action::ALL {
            assert!(!km.keys_for(action).is_empty(), "{action:?} has no key");
        }
    }

    #[test]
    fn user_file_rebinds_and_warns() {
        let (km, warnings) = Keymap::with_user_file(
            r#"{ "save": ["f2"], "bogus": ["z"], "quit": ["ctrl-q"], "help": ["nonsense-key"] }"#,
            "keys.ron",
        );
        assert_eq!(
            km.action(&ev(KeyCode::F(2), KeyModifiers::NONE)),
            Some(Action::Save)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('q'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('?'), KeyModifiers::NONE)),
            Some(Action::Help)
        );
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("unknown action \"bogus\""))
        );
        assert!(warnings.iter().any(|w| w.contains("unknown key")));
    }

    #[test]
    fn clashing_user_keys_keep_defaults() {
        let (km, warnings) =
            Keymap::with_user_file(r#"{ "save": ["z"], "quit": ["z"] }"#, "keys.ron");
        assert!(warnings.iter().any(|w| w.contains("bound to both")));
        assert_eq!(
            km.action(&ev(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            Some(Action::Save)
        );
    }

    #[test]
    fn broken_file_keeps_defaults() {
        let (km, warnings) = Keymap::with_user_file("{ save: ", "keys.ron");
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            km.action(&ev(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
    }
}
