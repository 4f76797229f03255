/**
 * WGS84 <-> a local east-north-up tangent plane in metres, through ECEF. Exact to well under
 * a millimetre over a city, where the sound-travel model is good to decimetres at best.
 */
const A = 6378137.0;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const rad = (d: number) => (d * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

export interface Geo {
  lat: number;
  lon: number;
  h?: number;
}
export interface Enu {
  x: number; // east
  y: number; // north
  z: number; // up
}

function toEcef({ lat, lon, h = 0 }: Geo): [number, number, number] {
  const φ = rad(lat),
    λ = rad(lon);
  const n = A / Math.sqrt(1 - E2 * Math.sin(φ) ** 2);
  return [(n + h) * Math.cos(φ) * Math.cos(λ), (n + h) * Math.cos(φ) * Math.sin(λ), (n * (1 - E2) + h) * Math.sin(φ)];
}

function fromEcef(x: number, y: number, z: number): Required<Geo> {
  const lon = Math.atan2(y, x);
  const p = Math.hypot(x, y);
  let lat = Math.atan2(z, p * (1 - E2));
  let h = 0;
  for (let i = 0; i < 8; i++) {
    const n = A / Math.sqrt(1 - E2 * Math.sin(lat) ** 2);
    h = p / Math.cos(lat) - n;
    lat = Math.atan2(z, p * (1 - (E2 * n) / (n + h)));
  }
  return { lat: deg(lat), lon: deg(lon), h };
}

/** A tangent plane at an origin; heights are metres above the ellipsoid (the origin sits at h = 0). */
export class LocalFrame {
  private readonly o: [number, number, number];
  private readonly sinφ: number;
  private readonly cosφ: number;
  private readonly sinλ: number;
  private readonly cosλ: number;

  constructor(readonly origin: { lat: number; lon: number }) {
    this.o = toEcef({ ...origin, h: 0 });
    this.sinφ = Math.sin(rad(origin.lat));
    this.cosφ = Math.cos(rad(origin.lat));
    this.sinλ = Math.sin(rad(origin.lon));
    this.cosλ = Math.cos(rad(origin.lon));
  }

  /** The mean of the points' latitudes and longitudes: a good origin for a cluster of sensors. */
  static around(points: readonly { lat: number; lon: number }[]): LocalFrame {
    const n = points.length || 1;
    return new LocalFrame({ lat: points.reduce((s, p) => s + p.lat, 0) / n, lon: points.reduce((s, p) => s + p.lon, 0) / n });
  }

  toLocal(g: Geo): Enu {
    const [x, y, z] = toEcef(g);
    const dx = x - this.o[0],
      dy = y - this.o[1],
      dz = z - this.o[2];
    return {
      x: -this.sinλ * dx + this.cosλ * dy,
      y: -this.sinφ * this.cosλ * dx - this.sinφ * this.sinλ * dy + this.cosφ * dz,
      z: this.cosφ * this.cosλ * dx + this.cosφ * this.sinλ * dy + this.sinφ * dz,
    };
  }

  toGeo(e: Enu): Required<Geo> {
    const dx = -this.sinλ * e.x - this.sinφ * this.cosλ * e.y + this.cosφ * this.cosλ * e.z;
    const dy = this.cosλ * e.x - this.sinφ * this.sinλ * e.y + this.cosφ * this.sinλ * e.z;
    const dz = this.cosφ * e.y + this.sinφ * e.z;
    return fromEcef(this.o[0] + dx, this.o[1] + dy, this.o[2] + dz);
  }
}
