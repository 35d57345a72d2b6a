//! CRC-32 (IEEE 802.3, the checksum of zip and PNG) of the index's blocks and trailer.
//!
//! Natively this is crc32fast (SIMD where the processor has it). In the browser it is the same
//! slicing-by-16 method crc32fast falls back to, with its 16 KiB of tables built on first use
//! instead of compiled in: tables of pseudo-random words do not compress, and they were a ninth
//! of the module's download (14 KiB of brotli for about 20 µs of work, once).

#[cfg(not(target_arch = "wasm32"))]
pub use crc32fast::{hash, Hasher};
#[cfg(target_arch = "wasm32")]
pub use sliced::{hash, Hasher};

/// Slicing-by-16 over tables built at run time. Compiled on every target so the native tests
/// compare it with crc32fast; used in the browser.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod sliced {
    use std::sync::OnceLock;

    /// The reflected IEEE polynomial.
    const POLY: u32 = 0xEDB8_8320;

    /// `T[k][b]`: the CRC of byte `b` followed by `k` zero bytes.
    type Tables = [[u32; 256]; 16];

    fn tables() -> &'static Tables {
        static TABLES: OnceLock<Box<Tables>> = OnceLock::new();
        TABLES.get_or_init(|| {
            let mut t = Box::new([[0u32; 256]; 16]);
            for b in 0..256 {
                let mut c = b as u32;
                for _ in 0..8 {
                    c = (c >> 1) ^ (POLY & (c & 1).wrapping_neg());
                }
                t[0][b] = c;
            }
            for k in 1..16 {
                for b in 0..256 {
                    let prev = t[k - 1][b];
                    t[k][b] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
                }
            }
            t
        })
    }

    /// The CRC of `crc`'s bytes followed by `bytes`.
    fn update(crc: u32, bytes: &[u8]) -> u32 {
        let t = tables();
        let byte = |x: u32| (x & 0xff) as usize;
        let mut crc = !crc;
        let mut chunks = bytes.chunks_exact(16);
        for c in &mut chunks {
            let at = |i: usize| c[i] as usize;
            let first = u32::from_le_bytes([c[0], c[1], c[2], c[3]]) ^ crc;
            crc = t[15][byte(first)]
                ^ t[14][byte(first >> 8)]
                ^ t[13][byte(first >> 16)]
                ^ t[12][byte(first >> 24)]
                ^ t[11][at(4)]
                ^ t[10][at(5)]
                ^ t[9][at(6)]
                ^ t[8][at(7)]
                ^ t[7][at(8)]
                ^ t[6][at(9)]
                ^ t[5][at(10)]
                ^ t[4][at(11)]
                ^ t[3][at(12)]
                ^ t[2][at(13)]
                ^ t[1][at(14)]
                ^ t[0][at(15)];
        }
        for &b in chunks.remainder() {
            crc = t[0][byte(crc ^ u32::from(b))] ^ (crc >> 8);
        }
        !crc
    }

    /// The CRC of `bytes`.
    pub fn hash(bytes: &[u8]) -> u32 {
        update(0, bytes)
    }

    /// A CRC computed over several slices, as if they were one.
    #[derive(Debug, Clone, Default)]
    pub struct Hasher(u32);

    impl Hasher {
        /// Nothing hashed yet.
        pub fn new() -> Self {
            Self(0)
        }

        /// Adds `bytes`.
        pub fn update(&mut self, bytes: &[u8]) {
            self.0 = update(self.0, bytes);
        }

        /// The CRC of everything added.
        pub fn finalize(self) -> u32 {
            self.0
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn same_as_crc32fast() {
            assert_eq!(hash(b"123456789"), 0xCBF4_3926);
            let data: Vec<u8> = (0..5000u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect();
            for len in [0, 1, 15, 16, 17, 31, 32, 33, 100, 4096, 5000] {
                assert_eq!(hash(&data[..len]), crc32fast::hash(&data[..len]), "{len}");
            }
            let mut h = Hasher::new();
            h.update(&data[..7]);
            h.update(&data[7..1000]);
            assert_eq!(h.finalize(), crc32fast::hash(&data[..1000]));
        }
    }
}
