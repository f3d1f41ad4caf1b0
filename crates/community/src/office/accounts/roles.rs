//! What each kind of staff account may do.

/// A staff account's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Reads and reports only: a volunteer at the desk, a manager upstairs.
    Viewer,
    /// Runs the rooms: schedule, roster, kiosks, waiting lists, reports of their sites.
    Staff,
    /// Everything, staff accounts and the action log included.
    Administrator,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Administrator, Role::Staff, Role::Viewer];

    /// As kept in the database and posted by forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Staff => "staff",
            Role::Administrator => "administrator",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }

    /// Whether this role may change the schedule, the roster, sign-ups and kiosks.
    pub fn may_change(self) -> bool {
        self >= Role::Staff
    }

    pub fn is_administrator(self) -> bool {
        self == Role::Administrator
    }

    /// The words key naming the role.
    pub fn words_key(self) -> &'static str {
        match self {
            Role::Viewer => "role.viewer",
            Role::Staff => "role.staff",
            Role::Administrator => "role.administrator",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_back_and_rank() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert!(!Role::Viewer.may_change());
        assert!(Role::Staff.may_change() && !Role::Staff.is_administrator());
        assert!(Role::Administrator.may_change() && Role::Administrator.is_administrator());
        assert_eq!(Role::parse("root"), None);
    }
}
