import type pg from 'pg';
import type { FieldError } from '../../domain/shared/result.js';
import {
  DEFAULT_TEMPLATES,
  renderTemplate,
  type SmsTemplate,
  type SmsTemplateCode,
  validateTemplate,
} from '../../domain/sms/sms-template.js';

export interface StoredTemplate extends SmsTemplate {
  version: number;
  updatedBy: string;
  updatedAt: Date;
}

type Db = pg.Pool | pg.PoolClient;

/** Every template: the edited ones from `sms_template`, the defaults for the others. */
export async function listTemplates(db: Db): Promise<StoredTemplate[]> {
  const { rows } = await db.query<{
    code: string;
    provider_template_code: string;
    text: string;
    version: number;
    updated_by: string;
    updated_at: Date;
  }>('select code, provider_template_code, text, version, updated_by, updated_at from sms_template');
  const edited = new Map(rows.map((r) => [r.code, r]));
  return DEFAULT_TEMPLATES.map((d) => {
    const r = edited.get(d.code);
    return r
      ? {
          code: r.code,
          providerTemplateCode: r.provider_template_code,
          text: r.text,
          version: r.version,
          updatedBy: r.updated_by,
          updatedAt: r.updated_at,
        }
      : { ...d, version: 0, updatedBy: 'system', updatedAt: new Date(0) };
  });
}

export async function templateFor(db: Db, code: SmsTemplateCode): Promise<SmsTemplate> {
  return (await listTemplates(db)).find((t) => t.code === code)!;
}

/** Saves an edit as the next version; a refused edit writes nothing. */
export async function saveTemplate(
  db: Db,
  input: SmsTemplate,
  by: string,
  now: Date,
): Promise<{ ok: true; template: StoredTemplate } | { ok: false; errors: FieldError[] }> {
  const checked = validateTemplate(input);
  if (!checked.ok) return checked;
  const t = checked.value;
  const { rows } = await db.query<{ version: number }>(
    `insert into sms_template (code, provider_template_code, text, version, updated_by, updated_at)
     values ($1, $2, $3, 1, $4, $5)
     on conflict (code) do update set provider_template_code = excluded.provider_template_code, text = excluded.text,
        version = sms_template.version + 1, updated_by = excluded.updated_by, updated_at = excluded.updated_at
     returning version`,
    [t.code, t.providerTemplateCode, t.text, by, now],
  );
  return { ok: true, template: { ...t, version: rows[0].version, updatedBy: by, updatedAt: now } };
}

/** Sample parameters for a preview, in the shape real messages have. */
const SAMPLES: Record<SmsTemplateCode, Record<string, string>> = {
  LOGIN_CODE: { code: '123456', minutes: '5' },
  STALL_NOTICE: {
    orderNo: 'TB2026112500001',
    carrier: '中通快递',
    waybillNo: '7312****5678',
    reason: '物流信息已超过24小时没有更新',
  },
};

/** What an edit would send, with sample parameters; validation errors when it would be refused. */
export function previewTemplate(input: SmsTemplate): { text: string | null; errors: FieldError[] } {
  const checked = validateTemplate(input);
  if (!checked.ok) return { text: null, errors: checked.errors };
  return {
    text: renderTemplate(checked.value.text, SAMPLES[checked.value.code as SmsTemplateCode]),
    errors: [],
  };
}
