/** Test support for reporting: a staff actor, a guided-form driver and photos with metadata. */
import sharp from 'sharp';
import type { StaffActor } from '../../auth/access.ts';
import type { Role } from '../../auth/permissions.ts';
import { csrfFrom, form, type Harness } from '../../testing/harness.ts';

export function staffActor(agencyId: string, roles: Role[] = ['triage'], userId = 'user-triage-1'): StaffActor {
  return { kind: 'staff', userId, name: 'Casey Fictional', email: 'casey@example.org', agencyId, roles, correlationId: `test-${userId}` };
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A JPEG carrying EXIF GPS, camera make/model/serial and a description. */
export async function jpegWithExif(description = 'Fictional description'): Promise<Buffer> {
  return sharp({ create: { width: 80, height: 60, channels: 3, background: '#336699' } })
    .jpeg()
    .withExif({
      IFD0: { ImageDescription: description, Make: 'FictionalCam', Model: 'FC-1', Artist: description },
      IFD2: { BodySerialNumber: 'SERIAL-99887766' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '53/1 45/1 30/1', GPSLongitudeRef: 'W', GPSLongitude: '2/1 42/1 10/1' },
    })
    .toBuffer();
}

export function multipart(files: Array<{ name: string; filename: string; type: string; data: Buffer }>, fields: Record<string, string> = {}) {
  const boundary = `----lookout${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`));
    parts.push(f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Drives the guided report through inject, as a browser without cookies or JavaScript would. */
export class Journey {
  csrf = '';
  base = '';
  constructor(
    readonly h: Harness,
    readonly headers: Record<string, string> = {},
  ) {}

  async start(): Promise<void> {
    const page = await this.h.app.inject({ method: 'GET', url: '/report', headers: this.headers });
    if (page.headers['set-cookie']) throw new Error('public page set a cookie');
    this.csrf = csrfFrom(page.body);
    const res = await this.h.app.inject({ method: 'POST', url: '/report/start', headers: { ...FORM, ...this.headers }, payload: form({ _csrf: this.csrf }) });
    if (res.statusCode !== 303) throw new Error(`start: ${res.statusCode}`);
    this.base = String(res.headers.location).replace(/\/danger$/, '');
  }

  get(step: string) {
    return this.h.app.inject({ method: 'GET', url: `${this.base}/${step}`, headers: this.headers });
  }

  answer(step: string, fields: Record<string, string>) {
    return this.h.app.inject({ method: 'POST', url: `${this.base}/${step}`, headers: { ...FORM, ...this.headers }, payload: form({ _csrf: this.csrf, ...fields }) });
  }

  upload(files: Array<{ filename: string; type: string; data: Buffer }>) {
    const mp = multipart(files.map((f) => ({ name: 'photos', ...f })));
    return this.h.app.inject({ method: 'POST', url: `${this.base}/photos?_csrf=${encodeURIComponent(this.csrf)}`, headers: { ...mp.headers, ...this.headers }, payload: mp.payload });
  }

  submit(extra: Record<string, string> = {}) {
    return this.h.app.inject({ method: 'POST', url: `${this.base}/submit`, headers: { ...FORM, ...this.headers }, payload: form({ _csrf: this.csrf, ...extra }) });
  }
}

export function receiptFrom(html: string): string {
  const m = /id="receipt">([^<]+)</.exec(html);
  if (!m?.[1]) throw new Error('no receipt on the page');
  return m[1].trim();
}
