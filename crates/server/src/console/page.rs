//! What every console page has around its content: the language, the title, the navigation
//! the staff member's role allows, who is signed in on which site, and a notice after a change.

use std::borrow::Cow;
use std::fmt::Display;

use crate::console::auth::SignedIn;
use crate::console::i18n::{Lang, Words};
use crate::state::AppState;
use jiayuan_community::error::AppError;

/// The signed-in staff member, for the page's header.
#[derive(Debug, Clone)]
pub struct Who {
    pub name: String,
    pub role_key: &'static str,
    pub form_token: String,
    pub site_name: String,
    /// The other sites this staff member may switch to: (id, name).
    pub other_sites: Vec<(String, String)>,
    pub may_change: bool,
    pub is_administrator: bool,
}

#[derive(Debug, Clone)]
pub struct Chrome {
    pub words: Words,
    pub title: String,
    /// The navigation entry this page belongs to: today, schedule, residents, kiosks, staff, log.
    pub section: &'static str,
    pub who: Option<Who>,
    /// Words telling what was just done (after a form, `?done=…`).
    pub notice: Option<String>,
    /// Where the language switcher comes back to.
    pub path: String,
}

impl Chrome {
    /// A page for someone not signed in (sign-in).
    pub fn public(lang: Lang, title_key: &str, path: &str) -> Chrome {
        let words = Words::new(lang);
        Chrome {
            title: words.t(title_key).into_owned(),
            words,
            section: "",
            who: None,
            notice: None,
            path: path.to_owned(),
        }
    }

    /// A page for `signed_in`, with the sites they may work on.
    pub async fn signed_in(
        state: &AppState,
        signed_in: &SignedIn,
        section: &'static str,
        title: impl Into<String>,
        path: &str,
    ) -> Result<Chrome, AppError> {
        let sites = jiayuan_community::sites::of_staff(&state.db, signed_in.staff_id()).await?;
        let site_name = sites
            .iter()
            .find(|(id, _)| id == signed_in.site_id())
            .map(|(_, name)| name.clone())
            .unwrap_or_else(|| signed_in.site_id().to_owned());
        let role = signed_in.role();
        Ok(Chrome {
            words: Words::new(signed_in.lang),
            title: title.into(),
            section,
            who: Some(Who {
                name: signed_in.session.display_name.clone(),
                role_key: role.words_key(),
                form_token: signed_in.session.form_token.clone(),
                site_name,
                other_sites: sites.into_iter().filter(|(id, _)| id != signed_in.site_id()).collect(),
                may_change: role.may_change(),
                is_administrator: role.is_administrator(),
            }),
            notice: None,
            path: path.to_owned(),
        })
    }

    /// Shows the words of `done.<what>` when a form just did it.
    pub fn with_notice(mut self, done: Option<&str>) -> Chrome {
        self.notice = done
            .filter(|what| what.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            .map(|what| format!("done.{what}"))
            .and_then(|key| crate::_rust_i18n_try_translate(self.words.lang.tag(), &key))
            .map(Cow::into_owned);
        self
    }

    /// Whether the signed-in account reads more than one site (a head office): the reports
    /// then offer the communities side by side.
    pub fn several_sites(&self) -> bool {
        self.who.as_ref().is_some_and(|who| !who.other_sites.is_empty())
    }

    pub fn t<'k>(&self, key: &'k str) -> Cow<'k, str> {
        self.words.t(key)
    }

    pub fn t_n(&self, key: &str, n: impl Display) -> String {
        self.words.t_n(key, n)
    }

    pub fn t_ab(&self, key: &str, a: impl Display, b: impl Display) -> String {
        self.words.t_ab(key, a, b)
    }

    pub fn lang_tag(&self) -> &'static str {
        self.words.lang.tag()
    }

    pub fn other_languages(&self) -> Vec<Lang> {
        Lang::ALL.into_iter().filter(|lang| *lang != self.words.lang).collect()
    }

    pub fn form_token(&self) -> &str {
        self.who.as_ref().map(|who| who.form_token.as_str()).unwrap_or_default()
    }

    pub fn may_change(&self) -> bool {
        self.who.as_ref().is_some_and(|who| who.may_change)
    }

    pub fn is_administrator(&self) -> bool {
        self.who.as_ref().is_some_and(|who| who.is_administrator)
    }

    /// `aria-current="page"` on the navigation entry of this page's section.
    pub fn current(&self, section: &str) -> &'static str {
        if self.section == section { "page" } else { "false" }
    }
}
