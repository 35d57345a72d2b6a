//! Calendar dates, as the assignments' periods use them (`from`, `until`): a day held as the
//! number `YYYYMMDD`, so that dates compare as numbers and the index stores them as one varint.
//!
//! ```
//! use powerlist::date::Date;
//! let d = Date::parse("2025-08-01").unwrap();
//! assert_eq!(d.to_string(), "2025-08-01");
//! assert_eq!(d.previous().to_string(), "2025-07-31");
//! assert_eq!(Date::parse("2024-02-29").unwrap().ymd(), 20240229);
//! assert!(Date::parse("2025-02-29").is_none());
//! assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
//! ```

use std::fmt;

/// A day of the Gregorian calendar between the years 1 and 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(u32);

impl Date {
    /// The date `year-month-day`, if there is such a day (years 1 to 9999).
    pub fn new(year: u32, month: u32, day: u32) -> Option<Date> {
        let ok = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        ok.then(|| Date(year * 10_000 + month * 100 + day))
    }

    /// The date of a `YYYYMMDD` number (as the index stores it), if it is one.
    pub fn from_ymd(n: u32) -> Option<Date> {
        Date::new(n / 10_000, n / 100 % 100, n % 100)
    }

    /// The date written `YYYY-MM-DD` (exactly so: four, two and two digits).
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| {
            b.get(r)
                .filter(|d| d.iter().all(u8::is_ascii_digit))
                .map(|d| d.iter().fold(0u32, |n, &c| n * 10 + u32::from(c - b'0')))
        };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Date::new(digits(0..4)?, digits(5..7)?, digits(8..10)?)
    }

    /// The number `YYYYMMDD`.
    pub fn ymd(self) -> u32 {
        self.0
    }

    /// The year, month and day.
    pub fn parts(self) -> (u32, u32, u32) {
        (self.0 / 10_000, self.0 / 100 % 100, self.0 % 100)
    }

    /// The day before (the same day for 0001-01-01).
    pub fn previous(self) -> Date {
        let (y, m, d) = self.parts();
        if d > 1 {
            return Date(self.0 - 1);
        }
        if m > 1 {
            return Date(y * 10_000 + (m - 1) * 100 + days_in_month(y, m - 1));
        }
        if y > 1 {
            return Date((y - 1) * 10_000 + 1231);
        }
        self
    }

    /// The date `days` days after 1970-01-01 (before it, when negative); clamped to the years
    /// 1 to 9999. The CLI makes today's date from the clock with it.
    pub fn from_days(days: i64) -> Date {
        // Howard Hinnant's days_from_civil, inverted.
        let z = days.clamp(-719_162, 2_932_896) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(year as u32, month as u32, day as u32).unwrap_or(Date(19_700_101))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.parts();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("\"{s}\" is not a date; write it as YYYY-MM-DD"))
        })
    }
}

impl std::str::FromStr for Date {
    type Err = crate::Error;

    /// `YYYY-MM-DD`; anything else is [`crate::Error::Request`] saying how to write it.
    fn from_str(s: &str) -> Result<Date, crate::Error> {
        Date::parse(s.trim()).ok_or_else(|| {
            crate::Error::Request(format!(
                "\"{}\" is not a date; write it as YYYY-MM-DD, e.g. 2025-08-01",
                s.trim()
            ))
        })
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Whether an assignment held from `from` until `until` (`YYYYMMDD` numbers as the index stores
/// them, 0 for no bound; `until` is the first day it no longer holds) holds on `date` (`None`:
/// the latest state the catalog knows, where only an assignment not taken back holds).
pub fn holds(from: u32, until: u32, date: Option<Date>) -> bool {
    match date {
        None => until == 0,
        Some(d) => from <= d.0 && (until == 0 || d.0 < until),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_agree() {
        assert_eq!(Date::from_days(20_300).to_string(), "2025-07-31");
        assert_eq!(Date::from_days(-1).to_string(), "1969-12-31");
        assert_eq!(Date::from_days(11_016).to_string(), "2000-02-29");
        assert_eq!(Date::from_days(i64::MAX).to_string(), "9999-12-31");
        assert_eq!(Date::from_days(i64::MIN).to_string(), "0001-01-01");
        let mut d = Date::parse("2001-01-01").unwrap();
        for _ in 0..367 {
            d = d.previous();
        }
        assert_eq!(d.to_string(), "1999-12-31");
        for n in -800_000..40_000 {
            assert_eq!(Date::from_days(n).previous(), Date::from_days(n - 1), "{n}");
        }
        assert_eq!(
            Date::parse("0001-01-01").unwrap().previous().to_string(),
            "0001-01-01"
        );
    }

    #[test]
    fn only_real_days_parse() {
        for bad in [
            "2025-13-01",
            "2025-00-10",
            "2025-04-31",
            "1900-02-29",
            "2025-8-1",
            "2025/08/01",
            "0000-01-01",
            "２０２５-08-01",
            "",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
        assert!(Date::parse("2000-02-29").is_some());
        assert_eq!(Date::from_ymd(20250801), Date::parse("2025-08-01"));
        assert_eq!(Date::from_ymd(0), None);
    }

    #[test]
    fn holding_on_a_date() {
        let d = |s| Date::parse(s);
        assert!(holds(20210601, 20250801, d("2025-07-31")));
        assert!(!holds(20210601, 20250801, d("2025-08-01")));
        assert!(!holds(20210601, 20250801, d("2021-05-31")));
        assert!(holds(0, 0, d("1999-01-01")));
        assert!(holds(20210601, 0, None));
        assert!(!holds(20210601, 20250801, None));
    }
}
