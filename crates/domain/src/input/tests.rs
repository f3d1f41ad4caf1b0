use time::macros::{date, time};

use super::*;

fn tai_chi() -> ActivityInput {
    ActivityInput {
        id: "tai-chi-1".into(),
        room_id: "hall".into(),
        date: "2026-12-03".into(),
        starts: "8:30".into(),
        ends: "09:30".into(),
        title_zh_hans: "太极拳".into(),
        host_zh_hans: "王老师".into(),
        capacity: "20".into(),
        ..ActivityInput::default()
    }
}

#[test]
fn a_good_activity_reads_as_staff_meant_it() {
    let activity = tai_chi().check().unwrap();
    assert_eq!(activity.starts, time!(8:30));
    assert_eq!(activity.date, date!(2026 - 12 - 03));
    assert_eq!(activity.capacity, Some(20));
    assert_eq!(activity.title.en, None, "empty translations are absent");
    assert_eq!(ActivityInput::of(&activity).check().unwrap(), activity, "a form made from it reads back the same");
}

#[test]
fn every_problem_of_a_form_is_named_by_its_field() {
    let input = ActivityInput {
        date: "12/3".into(),
        starts: "9:30".into(),
        ends: "8:30".into(),
        title_zh_hans: " ".into(),
        capacity: "many".into(),
        companions_allowed: "5".into(),
        ..tai_chi()
    };
    let problems = input.check().unwrap_err();
    let named: Vec<(&str, ProblemKind)> = problems.iter().map(|p| (p.field, p.kind)).collect();
    assert_eq!(
        named,
        [
            ("date", ProblemKind::NotADate),
            ("ends", ProblemKind::EndsBeforeStarts),
            ("title_zh_hans", ProblemKind::Empty),
            ("capacity", ProblemKind::NotACapacity),
            ("companions_allowed", ProblemKind::NotCompanions),
        ]
    );
    assert_eq!(problems[0].to_string(), "date \"12/3\" is not like 2026-11-23");
    assert_eq!(problems[1].to_string(), "ends must be after starts");
}

#[test]
fn recurring_activities_take_days_as_staff_write_them() {
    let input = RecurringInput {
        id: "choir".into(),
        room_id: "hall".into(),
        weekdays: "周一、周五".into(),
        starts: "09:30".into(),
        ends: "11:00".into(),
        title_zh_hans: "合唱".into(),
        host_zh_hans: "合唱团".into(),
        ..RecurringInput::default()
    };
    let today = date!(2026 - 12 - 01);
    let choir = input.check(today).unwrap();
    assert_eq!(choir.first_day, today, "from the day it is saved");
    assert_eq!(RecurringInput::of(&choir).check(today).unwrap(), choir);
    let wrong = RecurringInput { weekdays: "周八".into(), last_date: "2026-11-01".into(), ..input.clone() };
    let kinds: Vec<ProblemKind> = wrong.check(today).unwrap_err().iter().map(|p| p.kind).collect();
    assert_eq!(kinds, [ProblemKind::NotWeekdays, ProblemKind::LastBeforeFirst]);
    let long = RecurringInput { id: "x".repeat(54), ..input };
    assert_eq!(long.check(today).unwrap_err()[0].kind, ProblemKind::IdTooLong);
}

#[test]
fn residents_numbers_are_brought_to_one_form() {
    let input = ResidentInput {
        id: "r1".into(),
        full_name: "张建华".into(),
        card_number: " 1234 5678 ".into(),
        phone_last4: "0123".into(),
        phone: String::new(),
        household: "3－2－501".into(),
        birth_year: " 1948 ".into(),
        volunteer: String::new(),
        ..ResidentInput::default()
    };
    let resident = input.check().unwrap();
    assert_eq!(resident.card_number.as_deref(), Some("12345678"));
    assert_eq!(resident.household.as_deref(), Some("3-2-501"));
    assert_eq!(resident.birth_year, Some(1948));
    assert_eq!(ResidentInput::of(&resident).birth_year, "1948");
    for bad in ["48", "1948年", "1899", "3000"] {
        let problems = ResidentInput { birth_year: bad.into(), ..input.clone() }.check().unwrap_err();
        assert_eq!(problems[0].kind, ProblemKind::NotABirthYear, "{bad}");
    }
    assert_eq!(ResidentInput { birth_year: String::new(), ..input.clone() }.check().unwrap().birth_year, None);
    assert!(!resident.volunteer, "empty is no");
    for yes in ["是", "1", "yes", "on", " Y "] {
        assert!(ResidentInput { volunteer: yes.into(), ..input.clone() }.check().unwrap().volunteer, "{yes}");
    }
    let problems = ResidentInput { volunteer: "maybe".into(), ..input.clone() }.check().unwrap_err();
    assert_eq!(problems[0].kind, ProblemKind::NotYesOrNo);
    let volunteer = ResidentInput { volunteer: "是".into(), ..input.clone() }.check().unwrap();
    assert!(ResidentInput::of(&volunteer).check().unwrap().volunteer, "the form says it again");
    let wrong = ResidentInput { full_name: String::new(), phone_last4: "12".into(), ..input };
    let problems = wrong.check().unwrap_err();
    assert_eq!(problems.iter().map(|p| p.field).collect::<Vec<_>>(), ["full_name", "phone_last4"]);
    assert_eq!(problems[1].to_string(), "phone_last4 (four digits) \"12\" is not valid");
}

#[test]
fn a_whole_phone_is_kept_as_its_digits_and_gives_the_last_four_unless_others_are_typed() {
    let input = ResidentInput { id: "r1".into(), full_name: "张建华".into(), ..ResidentInput::default() };
    let with_phone = ResidentInput { phone: "138 0013-8000".into(), ..input.clone() }.check().unwrap();
    assert_eq!(with_phone.phone.as_deref(), Some("13800138000"));
    assert_eq!(with_phone.phone_last4.as_deref(), Some("8000"), "the phone's own last four");
    let relative = ResidentInput { phone: "0459-1234567".into(), phone_last4: "2222".into(), ..input.clone() };
    assert_eq!(relative.check().unwrap().phone_last4.as_deref(), Some("2222"), "typed last four stay");
    let abroad = ResidentInput { phone: "+86 138 0013 8000".into(), ..input.clone() }.check().unwrap();
    assert_eq!(abroad.phone.as_deref(), Some("+8613800138000"));
    assert_eq!(ResidentInput::of(&abroad).phone, "+8613800138000");
    for bad in ["1234", "=1+2", "138-0013-800a", "1+38001380", "1".repeat(21).as_str()] {
        let problems = ResidentInput { phone: bad.into(), ..input.clone() }.check().unwrap_err();
        assert_eq!(problems[0].kind, ProblemKind::NotAPhoneNumber, "{bad}");
    }
    assert_eq!(input.check().unwrap().phone, None);
}

#[test]
fn living_alone_and_an_emergency_contact_are_checked_like_the_rest() {
    let input = ResidentInput { id: "r1".into(), full_name: "张建华".into(), ..ResidentInput::default() };
    let alone = ResidentInput {
        lives_alone: "是".into(),
        emergency_contact: " 李明（儿子） ".into(),
        emergency_phone: "139 0000 1111".into(),
        ..input.clone()
    }
    .check()
    .unwrap();
    assert!(alone.lives_alone);
    assert_eq!(alone.emergency_contact.as_deref(), Some("李明（儿子）"));
    assert_eq!(alone.emergency_phone.as_deref(), Some("13900001111"));
    assert_eq!(ResidentInput::of(&alone).check().unwrap(), alone, "the form says it again");
    assert!(!input.check().unwrap().lives_alone, "empty is no");
    let wrong = ResidentInput {
        lives_alone: "maybe".into(),
        emergency_contact: "长".repeat(41),
        emergency_phone: "=HYPERLINK()".into(),
        ..input
    };
    let kinds: Vec<_> = wrong.check().unwrap_err().iter().map(|p| p.kind).collect();
    assert_eq!(kinds, [ProblemKind::NotYesOrNo, ProblemKind::TooLong, ProblemKind::NotAPhoneNumber]);
}

#[test]
fn every_kind_of_problem_has_a_name_of_its_own() {
    let mut names: Vec<&str> = ProblemKind::ALL.iter().map(|k| k.name()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), ProblemKind::ALL.len());
}
