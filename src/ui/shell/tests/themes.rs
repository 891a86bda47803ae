//! Styled snapshots (characters, colours and modifiers) of every tab in every built-in theme
//! at 80×24 and 120×40 (issue 12 item 7), and the same under `NO_COLOR`.

use super::{demo_app, styled_screen};
use crate::ui::tabs::Tab;
use crate::ui::theme::{BUILT_IN, Theme};

#[test]
fn every_tab_in_every_theme_at_both_sizes() {
    for (name, text) in BUILT_IN {
        let theme = Theme::from_ron(text, name).expect("built-in theme parses");
        for (i, tab) in Tab::ALL.into_iter().enumerate() {
            for (w, h) in [(80, 24), (120, 40)] {
                let mut app = demo_app();
                app.theme = theme.clone();
                app.tab = tab;
                app.sync_views();
                let screen = styled_screen(&mut app, w, h);
                insta::assert_snapshot!(
                    format!("{name}_{}_{}_{w}x{h}", i + 1, tab.title()),
                    screen
                );
            }
        }
    }
}

#[test]
fn every_tab_without_colour_shows_the_selection_in_reverse_video() {
    for (i, tab) in Tab::ALL.into_iter().enumerate() {
        let mut app = demo_app();
        app.theme = Theme::default().without_colour();
        app.tab = tab;
        app.sync_views();
        let screen = styled_screen(&mut app, 80, 24);
        assert!(
            !screen.contains("Indexed(") && !screen.contains("Rgb("),
            "{screen}"
        );
        insta::assert_snapshot!(format!("no_color_{}_{}_80x24", i + 1, tab.title()), screen);
    }
}
