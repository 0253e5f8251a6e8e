/**
 * Country shapes for the status map, projected once per process: the geometry never
 * changes, only the colours do. Shapes come from world-atlas (Natural Earth, 1:110m);
 * its ids are ISO 3166-1 numeric codes, mapped to the alpha-2 codes the tracker stores.
 * Countries too small for that scale (Malta, Singapore, ...) get a dot at their centre,
 * taken from the 1:50m file.
 */
import fs from 'node:fs';
import { geoCentroid, geoNaturalEarth1, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import countries from 'i18n-iso-countries';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

export const MAP_WIDTH = 960;

export interface CountryShape {
  /** ISO 3166-1 alpha-2. */
  code: string;
  d: string;
}

export interface Atlas {
  width: number;
  height: number;
  shapes: CountryShape[];
  /** Centres of countries that have no shape at this scale. */
  dots: Map<string, { x: number; y: number }>;
}

let cached: Atlas | null = null;

function readTopology(file: string): Topology {
  return JSON.parse(fs.readFileSync(require.resolve(`world-atlas/${file}`), 'utf8')) as Topology;
}

function countryFeatures(topology: Topology): Array<Feature<Geometry, { name: string }>> {
  const fc = feature(topology, topology.objects.countries as GeometryCollection<{ name: string }>) as FeatureCollection<
    Geometry,
    { name: string }
  >;
  return fc.features;
}

function alpha2(id: string | number | undefined): string | undefined {
  return id === undefined ? undefined : countries.numericToAlpha2(String(id));
}

/**
 * A path context that writes whole pixels as relative moves and drops repeated points:
 * at 960 pixels wide that loses nothing visible and keeps the map's markup small.
 */
class CompactPath {
  private out: string[] = [];
  private x = 0;
  private y = 0;
  private ringStart = true;
  private startX = 0;
  private startY = 0;

  moveTo(x: number, y: number): void {
    const rx = Math.round(x);
    const ry = Math.round(y);
    this.out.push(`m${rx - this.x} ${ry - this.y}`);
    this.x = rx;
    this.y = ry;
    this.startX = rx;
    this.startY = ry;
    this.ringStart = true;
  }

  lineTo(x: number, y: number): void {
    const rx = Math.round(x);
    const ry = Math.round(y);
    if (rx === this.x && ry === this.y) return;
    this.out.push(`${this.ringStart ? 'l' : ' '}${rx - this.x} ${ry - this.y}`);
    this.ringStart = false;
    this.x = rx;
    this.y = ry;
  }

  closePath(): void {
    // After "z" the pen is back at the start of the ring; later relative moves count from there.
    this.out.push('z');
    this.x = this.startX;
    this.y = this.startY;
    this.ringStart = true;
  }

  arc(): void {
    // Points are not drawn as shapes.
  }

  beginPath(): void {
    // Each feature is taken as one path string.
  }

  take(): string {
    const d = this.out.join('').replace(/^m/, 'M');
    this.out = [];
    this.x = 0;
    this.y = 0;
    return d;
  }
}

export function worldAtlas(): Atlas {
  if (cached) return cached;
  const ANTARCTICA = '010';
  const features = countryFeatures(readTopology('countries-110m.json')).filter((f) => f.id !== ANTARCTICA);
  const projection = geoNaturalEarth1().fitWidth(MAP_WIDTH - 8, { type: 'FeatureCollection', features });
  const [tx, ty] = projection.translate();
  projection.translate([tx + 4, ty + 4]);
  const [, [, bottom]] = geoPath(projection).bounds({ type: 'FeatureCollection', features });
  const context = new CompactPath();
  const path = geoPath(projection, context);
  const shapes: CountryShape[] = [];
  for (const f of features) {
    const code = alpha2(f.id);
    path(f);
    const d = context.take();
    if (code && d.length > 1) shapes.push({ code, d });
  }
  const drawn = new Set(shapes.map((s) => s.code));
  const dots = new Map<string, { x: number; y: number }>();
  for (const f of countryFeatures(readTopology('countries-50m.json'))) {
    const code = alpha2(f.id);
    if (!code || drawn.has(code) || dots.has(code)) continue;
    const p = projection(geoCentroid(f));
    if (p) dots.set(code, { x: Math.round(p[0] * 10) / 10, y: Math.round(p[1] * 10) / 10 });
  }
  cached = { width: MAP_WIDTH, height: Math.ceil(bottom) + 4, shapes, dots };
  return cached;
}
