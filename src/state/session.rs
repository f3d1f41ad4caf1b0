//! Who is at the screen and what they see. One screen at a time, one decision per screen;
//! "Done", the idle timeout and a new card all forget the resident.

use jiayuan_domain::identity::IdentityKind;
use jiayuan_domain::notices::ToTell;
use jiayuan_domain::sync::pull::ToRate;
use leptos::prelude::*;
use time::Date;

use crate::input::tap_guard::{TapGuard, within_window};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Home,
    /// Typing the last four digits of a phone, or a household number.
    Keypad(IdentityKind),
    /// Several residents matched: the resident taps their own (masked) name.
    Pick(Vec<String>),
    NotFound,
    /// A big sign for staff in the room to come and help.
    Help,
    /// Someone not listed as a child's guardian wants to pick a child up: staff, please.
    NotAGuardian,
    /// After-school care: the children a guardian drops off or picks up.
    Children {
        activity_id: String,
        picking_up: bool,
    },
    /// A change to their place someone else made (moved up, a session cancelled or restored):
    /// said once, before anything else.
    Tell(ToTell),
    /// How was the last session they came to (asked once, before the menu).
    Rate(ToRate),
    /// The known resident's choices.
    Menu,
    Browse {
        day: Date,
        page: usize,
    },
    Activity(String),
    /// How many companions come along, for activities that allow them.
    Companions(String),
    MySignUps {
        page: usize,
    },
    ConfirmCancel(String),
    Confirmation(Confirmation),
    /// The record could not be saved: never a false success.
    SaveFailed,
    Staff,
}

/// What the resident is told after an action, once its record is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    SignedIn {
        at: i64,
    },
    AlreadySignedIn {
        at: i64,
    },
    CheckedIn {
        activity_id: String,
    },
    /// Shows the resident's standing live: waiting to be confirmed, then the server's decision.
    SignedUp {
        activity_id: String,
    },
    Cancelled {
        activity_id: String,
    },
    Visitor,
    ServiceStarted {
        activity_id: String,
    },
    /// Service ended, and the half hours it came to by this kiosk's count.
    ServiceEnded {
        half_hours: i64,
    },
    /// Children dropped off (or picked up) at after-school care, by id.
    HandedOver {
        picking_up: bool,
        children: Vec<String>,
    },
}

/// The resident at the screen, as far as the screen may show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resident {
    pub id: String,
    /// Masked: 张*华.
    pub display_name: String,
}

#[derive(Clone, Copy)]
pub struct Session {
    pub screen: RwSignal<Screen>,
    pub resident: RwSignal<Option<Resident>>,
    /// Counts the times someone was forgotten: the screen's language, text size and sound go
    /// back to the community's defaults for the next person.
    pub forgotten: RwSignal<u64>,
    /// When the screen last changed (performance.now()): a tap landing right after belongs to
    /// the previous screen (a trembling double tap), not to what appeared under the finger.
    changed_at: StoredValue<f64>,
    taps: StoredValue<TapGuard>,
    thanks_due: StoredValue<bool>,
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

impl Session {
    pub fn provide() -> Session {
        let session = Session {
            screen: RwSignal::new(Screen::Home),
            resident: RwSignal::new(None),
            forgotten: RwSignal::new(0),
            changed_at: StoredValue::new(f64::MIN),
            taps: StoredValue::new(TapGuard::default()),
            thanks_due: StoredValue::new(false),
        };
        provide_context(session);
        session
    }

    pub fn use_context() -> Session {
        expect_context::<Session>()
    }

    pub fn go(&self, screen: Screen) {
        self.changed_at.set_value(now());
        self.screen.set(screen);
    }

    /// A resident has been recognised: `first` is what they see first (`LocalData::first_screen`).
    pub fn identified(&self, resident: Resident, first: Screen) {
        self.resident.set(Some(resident));
        self.go(first);
    }

    /// The menu after a rating starts with thanks, once.
    pub fn thank(&self) {
        self.thanks_due.set_value(true);
    }

    pub fn take_thanks(&self) -> bool {
        self.thanks_due.try_update_value(std::mem::take).unwrap_or(false)
    }

    /// The person has gone (Done, the idle timeout): home, with nothing of them left on the
    /// screen, nor their settings.
    pub fn forget(&self) {
        self.resident.set(None);
        self.forgotten.update(|n| *n += 1);
        self.go(Screen::Home);
    }

    /// The same person starts again from home (after "not found" or a failure): who they were
    /// leaves the screen, the language and text size they chose stay.
    pub fn start_over(&self) {
        self.resident.set(None);
        self.go(Screen::Home);
    }

    /// Someone else is at the screen now (a new card, staff's panel): the resident before, if
    /// there was one, is forgotten with their settings.
    pub fn forget_resident(&self) {
        if self.resident.with_untracked(Option::is_some) {
            self.resident.set(None);
            self.forgotten.update(|n| *n += 1);
        }
    }

    /// Whether a tap on `control` should act: not a repeat within 400 ms (tremor), and not
    /// the second half of a double tap that changed the screen.
    pub fn accept_tap(&self, control: &str) -> bool {
        let at = now();
        if within_window(self.changed_at.get_value(), at) {
            return false;
        }
        self.taps.try_update_value(|taps| taps.accept(control, at)).unwrap_or(false)
    }

    pub fn resident_id(&self) -> Option<String> {
        self.resident.with_untracked(|r| r.as_ref().map(|r| r.id.clone()))
    }
}
