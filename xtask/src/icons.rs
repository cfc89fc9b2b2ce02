//! `cargo xtask icons [--check]`: renders the extension icon at 16, 32, 48 and 128 px into
//! `icons/icon-N.png`. This file is the icon's one source: a dark rounded square holding an orange
//! disc with a white ✕ (cancel), drawn from signed distances with 8×8 supersampling so edges stay
//! smooth at every size. `--check` fails when the committed PNGs differ from what it renders.

use crate::workspace::root;
use crate::Result;

pub const SIZES: [u32; 4] = [16, 32, 48, 128];

type Rgba = [f32; 4];
const BACKGROUND: Rgba = [0.141, 0.161, 0.184, 1.0]; // #24292f
const DISC: Rgba = [0.859, 0.427, 0.157, 1.0]; // #db6d28
const MARK: Rgba = [1.0, 1.0, 1.0, 1.0];

pub fn run(args: &[String]) -> Result {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask icons [--check]".into()),
    };
    let dir = root().join("icons");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for size in SIZES {
        let path = dir.join(format!("icon-{size}.png"));
        let png = encode_png(size, size, &render(size));
        if check {
            let committed = std::fs::read(&path).unwrap_or_default();
            if committed != png {
                return Err(format!(
                    "{} is stale or missing: run `cargo xtask icons` and commit the result",
                    path.display()
                ));
            }
        } else {
            std::fs::write(&path, &png)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            println!("  wrote {} ({} bytes)", path.display(), png.len());
        }
    }
    if check {
        println!("  ok: icons are up to date");
    }
    Ok(())
}

/// Signed distance to a rounded square centred at the origin (half side `half`, radius `r`).
fn rounded_square(x: f32, y: f32, half: f32, r: f32) -> f32 {
    let qx = x.abs() - (half - r);
    let qy = y.abs() - (half - r);
    let outside = (qx.max(0.0).powi(2) + qy.max(0.0).powi(2)).sqrt();
    outside + qx.max(qy).min(0.0) - r
}

/// Signed distance to a capsule from (-len, 0) to (len, 0) rotated by `angle`, radius `r`.
fn bar(x: f32, y: f32, len: f32, r: f32, angle: f32) -> f32 {
    let (sin, cos) = angle.sin_cos();
    let (u, v) = (x * cos + y * sin, -x * sin + y * cos);
    let along = u.clamp(-len, len);
    ((u - along).powi(2) + v.powi(2)).sqrt() - r
}

/// The colour at a point of the unit square centred at the origin (coordinates in [-0.5, 0.5]).
fn shade(x: f32, y: f32) -> Rgba {
    let transparent = [0.0; 4];
    if rounded_square(x, y, 0.5, 0.2) > 0.0 {
        return transparent;
    }
    let disc = (x * x + y * y).sqrt() - 0.36;
    if disc > 0.0 {
        return BACKGROUND;
    }
    let cross = bar(x, y, 0.15, 0.065, std::f32::consts::FRAC_PI_4).min(bar(
        x,
        y,
        0.15,
        0.065,
        -std::f32::consts::FRAC_PI_4,
    ));
    if cross <= 0.0 {
        MARK
    } else {
        DISC
    }
}

/// RGBA8 pixels, row by row, averaged over 8×8 samples per pixel (premultiplied, then undone).
pub fn render(size: u32) -> Vec<u8> {
    const SAMPLES: u32 = 8;
    let mut pixels = Vec::with_capacity((size * size * 4) as usize);
    for py in 0..size {
        for px in 0..size {
            let mut sum = [0.0f32; 4];
            for sy in 0..SAMPLES {
                for sx in 0..SAMPLES {
                    let x = (px as f32 + (sx as f32 + 0.5) / SAMPLES as f32) / size as f32 - 0.5;
                    let y = (py as f32 + (sy as f32 + 0.5) / SAMPLES as f32) / size as f32 - 0.5;
                    let [r, g, b, a] = shade(x, y);
                    sum = [sum[0] + r * a, sum[1] + g * a, sum[2] + b * a, sum[3] + a];
                }
            }
            let n = (SAMPLES * SAMPLES) as f32;
            let alpha = sum[3] / n;
            let channel = |c: f32| {
                let straight = if alpha > 0.0 { c / n / alpha } else { 0.0 };
                (straight * 255.0).round().clamp(0.0, 255.0) as u8
            };
            pixels.extend([channel(sum[0]), channel(sum[1]), channel(sum[2])]);
            pixels.push((alpha * 255.0).round() as u8);
        }
    }
    pixels
}

/// A minimal PNG encoder: RGBA8, no filtering, zlib "stored" blocks. Icons are tiny, so
/// compression is not worth a dependency.
pub fn encode_png(width: u32, height: u32, rgba: &[u8]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(rgba.len() + height as usize);
    for row in rgba.chunks((width * 4) as usize) {
        raw.push(0); // filter type: none
        raw.extend_from_slice(row);
    }
    let mut zlib = vec![0x78, 0x01];
    let mut blocks = raw.chunks(65_535).peekable();
    while let Some(block) = blocks.next() {
        zlib.push(u8::from(blocks.peek().is_none()));
        let len = block.len() as u16;
        zlib.extend(len.to_le_bytes());
        zlib.extend((!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend(adler32(&raw).to_be_bytes());

    let mut header = Vec::new();
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    header.extend([8, 6, 0, 0, 0]); // 8-bit, RGBA, deflate, no filter, no interlace

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(b"IHDR", header), (b"IDAT", zlib), (b"IEND", Vec::new())] {
        png.extend((data.len() as u32).to_be_bytes());
        let mut chunk = kind.to_vec();
        chunk.extend(&data);
        png.extend(&chunk);
        png.extend(crc32(&chunk).to_be_bytes());
    }
    png
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for byte in data {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_known_values() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn icon_has_transparent_corners_and_an_opaque_centre() {
        let size = 32;
        let pixels = render(size);
        let pixel = |x: u32, y: u32| &pixels[((y * size + x) * 4) as usize..][..4];
        assert_eq!(pixel(0, 0)[3], 0, "rounded corner");
        assert_eq!(
            pixel(16, 16),
            [255, 255, 255, 255],
            "white mark in the middle"
        );
        assert_eq!(pixel(16, 2)[3], 255, "background edge is opaque");
    }
}
