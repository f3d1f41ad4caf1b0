//! Who may collect a child from after-school care, as staff type it in the console or write it
//! in a file (`child_id,guardian_id,contact_name,contact_phone,contact_relation`): each row is a
//! guardian (a resident of the site, by id) or a contact who is not a resident (a name and a
//! phone). The same checks as every roster field: a phone is a phone number, a name at most 40
//! characters.

use serde::Deserialize;

use super::roster::{MAX_CONTACT_CHARS, phone_number};
use super::{Problem, ProblemKind, Problems, id, optional};

/// A pick-up contact who is not a resident, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    /// Its digits (and a leading +), as every phone is kept.
    pub phone: String,
    pub relation: Option<String>,
}

/// One row of a guardians file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuardianRow {
    Guardian { child_id: String, guardian_id: String },
    Contact { child_id: String, contact: Contact },
}

impl GuardianRow {
    pub fn child_id(&self) -> &str {
        match self {
            GuardianRow::Guardian { child_id, .. } | GuardianRow::Contact { child_id, .. } => child_id,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_relation: String,
}

impl ContactInput {
    pub fn check(&self) -> Result<Contact, Vec<Problem>> {
        let mut problems = Problems::default();
        let contact = self.checked(&mut problems);
        problems.done(contact)
    }

    fn checked(&self, problems: &mut Problems) -> Option<Contact> {
        let name = problems.take(match optional(&self.contact_name) {
            None => Err(Problem::new("contact_name", ProblemKind::Empty, "")),
            Some(name) if name.chars().count() > MAX_CONTACT_CHARS => {
                Err(Problem::new("contact_name", ProblemKind::TooLong, &self.contact_name))
            }
            Some(name) => Ok(name.to_owned()),
        });
        let phone = problems.take(match optional(&self.contact_phone) {
            None => Err(Problem::new("contact_phone", ProblemKind::Empty, "")),
            Some(typed) => {
                phone_number(typed).ok_or_else(|| Problem::new("contact_phone", ProblemKind::NotAPhoneNumber, typed))
            }
        });
        let relation = problems.take(match optional(&self.contact_relation) {
            Some(relation) if relation.chars().count() > MAX_CONTACT_CHARS => {
                Err(Problem::new("contact_relation", ProblemKind::TooLong, &self.contact_relation))
            }
            other => Ok(other.map(str::to_owned)),
        });
        Some(Contact { name: name?, phone: phone?, relation: relation? })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct GuardianInput {
    pub child_id: String,
    pub guardian_id: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_relation: String,
}

impl GuardianInput {
    pub fn check(&self) -> Result<GuardianRow, Vec<Problem>> {
        let mut problems = Problems::default();
        let child_id = problems.take(id("child_id", &self.child_id));
        let row = match optional(&self.guardian_id) {
            Some(guardian) => {
                let guardian_id = problems.take(id("guardian_id", guardian));
                if child_id.is_some() && child_id == guardian_id {
                    problems.take::<()>(Err(Problem::new("guardian_id", ProblemKind::NotAnId, guardian)));
                }
                (|| Some(GuardianRow::Guardian { child_id: child_id.clone()?, guardian_id: guardian_id? }))()
            }
            None => {
                let contact = ContactInput {
                    contact_name: self.contact_name.clone(),
                    contact_phone: self.contact_phone.clone(),
                    contact_relation: self.contact_relation.clone(),
                }
                .checked(&mut problems);
                (|| Some(GuardianRow::Contact { child_id: child_id.clone()?, contact: contact? }))()
            }
        };
        problems.done(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(child: &str, guardian: &str, name: &str, phone: &str) -> GuardianInput {
        GuardianInput {
            child_id: child.into(),
            guardian_id: guardian.into(),
            contact_name: name.into(),
            contact_phone: phone.into(),
            contact_relation: String::new(),
        }
    }

    #[test]
    fn a_row_is_a_guardian_by_id_or_a_contact_with_a_phone() {
        assert_eq!(
            row("kid-1", "gran", "", "").check(),
            Ok(GuardianRow::Guardian { child_id: "kid-1".into(), guardian_id: "gran".into() })
        );
        let contact = row("kid-1", "", "李姑姑", "139 0000 0099").check().unwrap();
        assert_eq!(
            contact,
            GuardianRow::Contact {
                child_id: "kid-1".into(),
                contact: Contact { name: "李姑姑".into(), phone: "13900000099".into(), relation: None }
            }
        );
    }

    #[test]
    fn a_bad_row_names_its_fields() {
        let fields = |input: GuardianInput| -> Vec<&'static str> {
            input.check().unwrap_err().iter().map(|p| p.field).collect()
        };
        assert_eq!(fields(row("", "gran", "", "")), ["child_id"]);
        assert_eq!(fields(row("kid-1", "kid-1", "", "")), ["guardian_id"], "nobody is their own guardian");
        assert_eq!(fields(row("kid-1", "", "李姑姑", "abc")), ["contact_phone"]);
        assert_eq!(fields(row("kid-1", "", "", "")), ["contact_name", "contact_phone"]);
        assert_eq!(fields(row("kid-1", "", &"长".repeat(41), "13900000099")), ["contact_name"]);
    }
}
