//! Simulated time and seeded randomness, injected into sessions so that a run
//! is reproducible from its seed (no clock or random source inside the engine).

use serde::{Deserialize, Serialize};

/// Seconds since 1970-01-01T00:00:00Z, on the simulated clock.
pub type Timestamp = i64;

/// The instant the default world starts at: Mon, 16 Nov 2026 09:00:00 +0000.
pub const DEFAULT_EPOCH: Timestamp = 1_794_819_600;

/// A small deterministic generator (xorshift64*): the same seed gives the same
/// queue ids, challenges and timestamps on every platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimRng {
    state: u64,
}

impl SimRng {
    pub fn new(seed: u64) -> Self {
        // Zero is a fixed point of xorshift: avoid it.
        Self { state: seed ^ 0x9E37_79B9_7F4A_7C15 | 1 }
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A queue id in Postfix's short form: ten upper-case hex digits (`D7EC6D40C8`).
    pub fn queue_id(&mut self) -> String {
        format!("{:010X}", self.next_u64() & 0xFF_FFFF_FFFF)
    }
}

/// Formats a timestamp as an RFC 5322 §3.3 date in UTC: `Mon, 16 Nov 2026 09:00:00 +0000`.
pub fn rfc5322_date(t: Timestamp) -> String {
    rfc5322_date_with_offset(t, 0)
}

/// Formats a timestamp as an RFC 5322 §3.3 date in a zone `offset` minutes
/// east of UTC (`-300` is `-0500`).
pub fn rfc5322_date_with_offset(t: Timestamp, offset: i32) -> String {
    let offset = offset.clamp(-24 * 60 + 1, 24 * 60 - 1);
    let local = t.saturating_add(i64::from(offset) * 60);
    let sign = if offset < 0 { '-' } else { '+' };
    let zone = format!("{sign}{:02}{:02}", offset.unsigned_abs() / 60, offset.unsigned_abs() % 60);
    rfc5322_local(local, &zone)
}

fn rfc5322_local(t: Timestamp, zone: &str) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} {zone}",
        DAYS[days.rem_euclid(7) as usize],
        d,
        MONTHS[(m - 1) as usize],
        y,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// A timestamp as `YYYYMMDDhhmmss` in UTC (the form swaks and Postfix put in Message-Ids).
pub fn compact_date(t: Timestamp) -> String {
    let (y, m, d) = civil_from_days(t.div_euclid(86_400));
    let secs = t.rem_euclid(86_400);
    format!("{y:04}{m:02}{d:02}{:02}{:02}{:02}", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// Month abbreviations as RFC 5322 and RFC 3501 `date-month` write them.
pub const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A timestamp as an IMAP `date-time` in UTC (RFC 3501 §9), zero-padded as
/// Dovecot writes it: `23-Nov-2026 07:59:15 +0000`.
pub fn imap_date_time(t: Timestamp) -> String {
    let (y, m, d) = civil_from_days(t.div_euclid(86_400));
    let secs = t.rem_euclid(86_400);
    let mon = MONTHS.get(m as usize - 1).copied().unwrap_or("Jan");
    format!("{d:02}-{mon}-{y:04} {:02}:{:02}:{:02} +0000", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// (year, month 1-12, day 1-31) to days since 1970-01-01 (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_match_known_instants() {
        assert_eq!(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        // `date -u -d @1794819600 -R` prints this.
        assert_eq!(rfc5322_date(DEFAULT_EPOCH), "Mon, 16 Nov 2026 09:00:00 +0000");
        assert_eq!(rfc5322_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 +0000");
        // `TZ=EST5EDT date -d @935624133 -R` (the article's Sendmail banner).
        assert_eq!(rfc5322_date_with_offset(935_624_133, -300), "Wed, 25 Aug 1999 18:35:33 -0500");
        assert_eq!(rfc5322_date_with_offset(0, 330), "Thu, 01 Jan 1970 05:30:00 +0530");
        let _ = rfc5322_date_with_offset(i64::MAX, i32::MIN);
        // The Message-Id of tests/fixtures/peers-maildir/bob-1.eml, delivered at 1795419595.
        assert_eq!(compact_date(1_795_419_595), "20261123073955");
        // fetch.txt: INTERNALDATE "23-Nov-2026 07:59:15 +0000" for a delivery at 07:59:15.
        assert_eq!(imap_date_time(1_795_420_755), "23-Nov-2026 07:59:15 +0000");
        for days in [-800_000, -1, 0, 59, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn rng_is_deterministic_and_ids_look_like_postfix() {
        let mut a = SimRng::new(42);
        let mut b = SimRng::new(42);
        let id = a.queue_id();
        assert_eq!(id, b.queue_id());
        assert_eq!(id.len(), 10);
        assert!(id.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
        assert_ne!(a.queue_id(), id);
    }
}
