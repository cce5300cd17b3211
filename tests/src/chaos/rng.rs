//! A tiny seeded PRNG (xorshift64*), one independent stream per device and one for the killer.

/// xorshift64* seeded through splitmix64: fast, deterministic, good enough for choosing actions.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// Stream `stream` of the run seeded with `seed` (streams do not overlap in practice).
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, (lo, hi): (u64, u64)) -> u64 {
        let (lo, hi) = (lo.min(hi), lo.max(hi));
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u32) -> bool {
        self.below(1000) < u64::from(per_mille)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }

    /// An index chosen with the given weights (None if they sum to 0).
    pub fn weighted(&mut self, weights: &[u32]) -> Option<usize> {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        if total == 0 {
            return None;
        }
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            let w = u64::from(*w);
            if x < w {
                return Some(i);
            }
            x -= w;
        }
        None
    }

    /// Ten random bytes (for UUIDv7 ids).
    pub fn bytes10(&mut self) -> [u8; 10] {
        let a = self.next_u64().to_le_bytes();
        let b = self.next_u64().to_le_bytes();
        let mut out = [0u8; 10];
        out[..8].copy_from_slice(&a);
        out[8..].copy_from_slice(&b[..2]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_streams_differ() {
        let a: Vec<u64> = (0..5).map(|_| Rng::new(42, 1).next_u64()).collect();
        let mut r = Rng::new(42, 1);
        let b: Vec<u64> = (0..5).map(|_| r.next_u64()).collect();
        assert!(
            a.iter().all(|x| *x == a[0]),
            "a fresh stream starts the same"
        );
        assert_eq!(b[0], a[0]);
        assert_ne!(Rng::new(42, 1).next_u64(), Rng::new(42, 2).next_u64());
        assert_ne!(Rng::new(0, 0).next_u64(), 0);
    }

    #[test]
    fn ranges_and_weights_stay_in_bounds() {
        let mut r = Rng::new(7, 0);
        for _ in 0..1000 {
            let v = r.range((3, 5));
            assert!((3..=5).contains(&v));
            assert!(r.below(4) < 4);
            let i = r.weighted(&[0, 5, 0, 1]).expect("some weight");
            assert!(i == 1 || i == 3);
        }
        assert_eq!(r.weighted(&[0, 0]), None);
        assert_eq!(r.pick::<u8>(&[]), None);
    }
}
