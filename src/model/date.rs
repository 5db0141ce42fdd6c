//! Calendar dates as authors write them (`2026-01-17`).

use std::fmt;

use serde::Serialize;

/// A day in the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, rejecting days that do not exist.
    pub(crate) fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let valid =
            (1..=12).contains(&date.month) && date.day >= 1 && date.day <= date.days_in_month();
        valid.then_some(date)
    }

    fn days_in_month(self) -> u8 {
        match self.month {
            2 if self.is_leap_year() => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    fn is_leap_year(self) -> bool {
        let y = self.year;
        y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400))
    }
}

impl Date {
    /// Today, in UTC; or the day of `SOURCE_DATE_EPOCH` (seconds since 1970) when it is
    /// set, as reproducible builds set it: the ages that `check` reports, and the dates
    /// that `init` and `new` write, are then those of that day.
    pub(crate) fn today() -> Date {
        let pinned = std::env::var("SOURCE_DATE_EPOCH").ok();
        let seconds = pinned
            .and_then(|text| text.trim().parse::<u64>().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
            });
        Date::from_days_since_epoch((seconds / 86_400) as i64)
    }

    /// The date `days` after 1970-01-01 (the civil-from-days algorithm).
    pub(crate) fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// Days since 1970-01-01 (the days-from-civil algorithm).
    pub(crate) fn days_since_epoch(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_convert_to_and_from_days() {
        for (text, days) in [
            ("1970-01-01", 0),
            ("2000-03-01", 11_017),
            ("2026-01-17", 20_470),
            ("2024-02-29", 19_782),
        ] {
            let date = Date::parse(text).unwrap();
            assert_eq!(date.days_since_epoch(), days, "{text}");
            assert_eq!(Date::from_days_since_epoch(days), date, "{text}");
        }
    }

    #[test]
    fn dates_parse_only_when_the_day_exists() {
        let cases = [
            ("2026-01-17", Some("2026-01-17")),
            ("2024-02-29", Some("2024-02-29")),
            ("2026-02-29", None),
            ("1900-02-29", None),
            ("2000-02-29", Some("2000-02-29")),
            ("2026-13-01", None),
            ("2026-04-31", None),
            ("17/01/2026", None),
            ("2026-1-17", None),
        ];
        for (text, expected) in cases {
            assert_eq!(
                Date::parse(text).map(|d| d.to_string()).as_deref(),
                expected,
                "{text}"
            );
        }
    }
}
