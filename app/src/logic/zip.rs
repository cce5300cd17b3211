//! A small store-only ZIP writer (no compression: photos are already JPEG) with CRC-32, for the
//! "export unsynced records" file: local headers, data, central directory, end record.

use siteline_model::time::CHINA_OFFSET_MINUTES;
use siteline_model::Timestamp;

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) lookup table, built at compile time.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// CRC-32 of `data`, as ZIP (and PNG, gzip) use it.
pub fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c = CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    !c
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipError {
    #[error("the archive would exceed 4 GiB (ZIP64 is not supported)")]
    TooLarge,
    #[error("file name is empty, too long or repeated: {0}")]
    BadName(String),
    #[error("too many files")]
    TooManyFiles,
}

struct Entry {
    name: String,
    crc: u32,
    size: u32,
    offset: u32,
}

/// Builds a ZIP archive in memory. Every entry gets the same modification time.
pub struct ZipWriter {
    buf: Vec<u8>,
    entries: Vec<Entry>,
    time: u16,
    date: u16,
}

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const END_SIG: u32 = 0x0605_4b50;
/// Version 2.0: what readers need for stored entries and directories.
const VERSION: u16 = 20;
/// General purpose flag bit 11: names are UTF-8.
const UTF8: u16 = 0x0800;

impl ZipWriter {
    /// A new archive whose entries are dated `at` (China time, as staff read it).
    pub fn new(at: Timestamp) -> Self {
        let (time, date) = dos_time(at);
        Self {
            buf: Vec::new(),
            entries: Vec::new(),
            time,
            date,
        }
    }

    /// Adds a file (stored, uncompressed). Names use `/` for folders.
    pub fn add(&mut self, name: &str, data: &[u8]) -> Result<(), ZipError> {
        if name.is_empty() || name.len() > 0xFFFF || self.entries.iter().any(|e| e.name == name) {
            return Err(ZipError::BadName(name.to_string()));
        }
        if self.entries.len() >= 0xFFFF {
            return Err(ZipError::TooManyFiles);
        }
        let offset = u32::try_from(self.buf.len()).map_err(|_| ZipError::TooLarge)?;
        let size = u32::try_from(data.len()).map_err(|_| ZipError::TooLarge)?;
        // Local header + data must stay addressable, and leave room for the central directory.
        let after = self.buf.len() as u64 + 30 + name.len() as u64 + data.len() as u64;
        if after > u64::from(u32::MAX) {
            return Err(ZipError::TooLarge);
        }
        let crc = crc32(data);
        let b = &mut self.buf;
        put32(b, LOCAL_SIG);
        put16(b, VERSION);
        put16(b, UTF8);
        put16(b, 0); // stored
        put16(b, self.time);
        put16(b, self.date);
        put32(b, crc);
        put32(b, size);
        put32(b, size);
        put16(b, name.len() as u16);
        put16(b, 0); // no extra field
        b.extend_from_slice(name.as_bytes());
        b.extend_from_slice(data);
        self.entries.push(Entry {
            name: name.to_string(),
            crc,
            size,
            offset,
        });
        Ok(())
    }

    /// Writes the central directory and the end record; answers the archive's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, ZipError> {
        let cd_start = u32::try_from(self.buf.len()).map_err(|_| ZipError::TooLarge)?;
        for e in &self.entries {
            let b = &mut self.buf;
            put32(b, CENTRAL_SIG);
            put16(b, VERSION); // made by (MS-DOS attributes)
            put16(b, VERSION);
            put16(b, UTF8);
            put16(b, 0);
            put16(b, self.time);
            put16(b, self.date);
            put32(b, e.crc);
            put32(b, e.size);
            put32(b, e.size);
            put16(b, e.name.len() as u16);
            put16(b, 0); // extra
            put16(b, 0); // comment
            put16(b, 0); // disk number
            put16(b, 0); // internal attributes
            put32(b, 0); // external attributes
            put32(b, e.offset);
            b.extend_from_slice(e.name.as_bytes());
        }
        let cd_size =
            u32::try_from(self.buf.len() - cd_start as usize).map_err(|_| ZipError::TooLarge)?;
        if self.buf.len() as u64 + 22 > u64::from(u32::MAX) {
            return Err(ZipError::TooLarge);
        }
        let n = self.entries.len() as u16;
        let b = &mut self.buf;
        put32(b, END_SIG);
        put16(b, 0);
        put16(b, 0);
        put16(b, n);
        put16(b, n);
        put32(b, cd_size);
        put32(b, cd_start);
        put16(b, 0); // comment length
        Ok(self.buf)
    }
}

fn put16(b: &mut Vec<u8>, v: u16) {
    b.extend_from_slice(&v.to_le_bytes());
}

fn put32(b: &mut Vec<u8>, v: u32) {
    b.extend_from_slice(&v.to_le_bytes());
}

/// MS-DOS time and date fields (2-second resolution, years 1980..=2107).
fn dos_time(at: Timestamp) -> (u16, u16) {
    let (y, mo, d, h, mi, s) = at.civil(CHINA_OFFSET_MINUTES);
    if y < 1980 {
        return (0, (1 << 5) | 1); // 1980-01-01 00:00
    }
    let y = (y.min(2107) - 1980) as u16;
    let time = ((h as u16) << 11) | ((mi as u16) << 5) | (s as u16 / 2);
    let date = (y << 9) | ((mo as u16) << 5) | d as u16;
    (time, date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn u16_at(b: &[u8], at: usize) -> u16 {
        u16::from_le_bytes([b[at], b[at + 1]])
    }
    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
    }

    /// A minimal reader following the central directory, as an unzip tool does.
    fn read_back(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
        let end = zip.len() - 22;
        assert_eq!(u32_at(zip, end), END_SIG);
        let n = u16_at(zip, end + 10) as usize;
        let cd_size = u32_at(zip, end + 12) as usize;
        let mut at = u32_at(zip, end + 16) as usize;
        assert_eq!(
            at + cd_size,
            end,
            "central directory ends where the end record starts"
        );
        let mut out = vec![];
        for _ in 0..n {
            assert_eq!(u32_at(zip, at), CENTRAL_SIG);
            assert_eq!(u16_at(zip, at + 8), UTF8);
            assert_eq!(u16_at(zip, at + 10), 0, "stored");
            let crc = u32_at(zip, at + 16);
            let size = u32_at(zip, at + 20) as usize;
            let name_len = u16_at(zip, at + 28) as usize;
            let local = u32_at(zip, at + 42) as usize;
            let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
            assert_eq!(u32_at(zip, local), LOCAL_SIG);
            assert_eq!(u32_at(zip, local + 14), crc, "local and central CRC agree");
            let lname = u16_at(zip, local + 26) as usize;
            assert_eq!(&zip[local + 30..local + 30 + lname], name.as_bytes());
            let data_at = local + 30 + lname;
            let data = zip[data_at..data_at + size].to_vec();
            assert_eq!(crc32(&data), crc);
            out.push((name, data));
            at += 46 + name_len;
        }
        out
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn empty_archive_is_just_the_end_record() {
        let z = ZipWriter::new(Timestamp(0)).finish().unwrap();
        assert_eq!(z.len(), 22);
        assert_eq!(read_back(&z), vec![]);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn files_round_trip_with_utf8_names_and_folders() {
        let mut w = ZipWriter::new(Timestamp(1_767_225_600_000)); // 2026-01-01 08:00 China
        let json = "{\"事件\":\"漏水\"}".as_bytes().to_vec();
        let blob: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        w.add("events.json", &json).unwrap();
        w.add("attachments/ab12", &blob).unwrap();
        w.add("附件/空.txt", b"").unwrap();
        let z = w.finish().unwrap();
        let files = read_back(&z);
        assert_eq!(
            files,
            vec![
                ("events.json".to_string(), json),
                ("attachments/ab12".to_string(), blob),
                ("附件/空.txt".to_string(), vec![]),
            ]
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn repeated_or_empty_names_are_refused() {
        let mut w = ZipWriter::new(Timestamp(0));
        w.add("a", b"1").unwrap();
        assert!(matches!(w.add("a", b"2"), Err(ZipError::BadName(_))));
        assert!(matches!(w.add("", b"2"), Err(ZipError::BadName(_))));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn dos_time_is_china_local_with_two_second_resolution() {
        // 2026-03-02 10:20:31 China = 02:20:31 UTC.
        let t = Timestamp(1_772_418_031_000);
        let (time, date) = dos_time(t);
        assert_eq!(time >> 11, 10);
        assert_eq!((time >> 5) & 0x3F, 20);
        assert_eq!(time & 0x1F, 15);
        assert_eq!(date >> 9, 2026 - 1980);
        assert_eq!((date >> 5) & 0xF, 3);
        assert_eq!(date & 0x1F, 2);
        assert_eq!(dos_time(Timestamp(0)), (0, 33));
    }
}
