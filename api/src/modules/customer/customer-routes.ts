import express, { type Express, type Request, type Response } from 'express';
import { normaliseMobile, OTP_RULES } from '../../domain/customer/otp-rules.js';
import type { Logger } from '../../infra/logging/logger.js';
import { type OtpDeps, requestLoginCode, verifyLoginCode } from './customer-otp.service.js';

const STATUS: Record<string, number> = {
  RESEND_TOO_SOON: 429,
  PHONE_LIMIT: 429,
  ADDRESS_LIMIT: 429,
  LOCKED: 423,
  NO_CODE: 401,
  EXPIRED: 401,
  WRONG_CODE: 401,
};

const MESSAGES: Record<string, string> = {
  RESEND_TOO_SOON: '请稍后再获取验证码',
  PHONE_LIMIT: '该手机号获取验证码次数过多，请稍后再试',
  ADDRESS_LIMIT: '请求过于频繁，请稍后再试',
  LOCKED: '验证码错误次数过多，请15分钟后再试',
  NO_CODE: '请先获取验证码',
  EXPIRED: '验证码已过期，请重新获取',
  WRONG_CODE: '验证码不正确',
};

/**
 * The customer's sign-in, as plain JSON over HTTP (the only anonymous operations besides the
 * site's files): `POST /api/customer/code { phone }` sends a code; `POST /api/customer/session
 * { phone, code }` answers `{ token, expiresAt }`, sent afterwards as `Authorization: Customer
 * <token>` to GraphQL. Refusals: `{ error: { field, code, message, retryAfterSeconds?,
 * remainingTries? } }` with 400, 401, 423 or 429.
 */
export function mountCustomerRoutes(app: Express, deps: OtpDeps & { logger: Logger }): void {
  const parse = express.json({ limit: '2kb' });
  const json = (req: Request, res: Response, next: (error?: unknown) => void) =>
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const large = (error as { type?: string }).type === 'entity.too.large';
      res.status(large ? 413 : 400).json({
        error: { field: '', code: large ? 'BODY_TOO_LARGE' : 'INVALID_JSON', message: '请求格式不正确' },
      });
    });
  const address = (req: Request) => (req.ip ?? req.socket.remoteAddress ?? 'unknown').slice(0, 64);

  app.post('/api/customer/code', json, async (req: Request, res: Response) => {
    const phone = normaliseMobile(req.body?.phone);
    if (!phone) return badPhone(res);
    try {
      const decision = await requestLoginCode(deps, phone, address(req), new Date());
      if (decision.ok) {
        res.json({
          sent: true,
          resendAfterSeconds: OTP_RULES.resendAfterSeconds,
          expiresAt: decision.expiresAt.toISOString(),
        });
        return;
      }
      res.status(STATUS[decision.code]).json({
        error: {
          field: 'phone',
          code: decision.code,
          message: MESSAGES[decision.code],
          retryAfterSeconds: decision.retryAfterSeconds,
        },
      });
    } catch (error) {
      failed(deps.logger, res, error);
    }
  });

  app.post('/api/customer/session', json, async (req: Request, res: Response) => {
    const phone = normaliseMobile(req.body?.phone);
    if (!phone) return badPhone(res);
    const code = typeof req.body?.code === 'string' ? req.body.code.trim() : '';
    if (!/^\d{6}$/.test(code)) {
      res
        .status(400)
        .json({ error: { field: 'code', code: 'INVALID_FORMAT', message: '请输入6位数字验证码' } });
      return;
    }
    try {
      const result = await verifyLoginCode(deps, phone, code, address(req), new Date());
      if (result.ok) {
        res.json({ token: result.token, expiresAt: result.expiresAt.toISOString() });
        return;
      }
      // The last wrong try locks the phone: say so at once rather than "0 tries left".
      const refusal = result.code === 'WRONG_CODE' && result.remainingTries === 0 ? 'LOCKED' : result.code;
      res.status(STATUS[refusal]).json({
        error: {
          field: 'code',
          code: refusal,
          message: MESSAGES[refusal],
          remainingTries: result.remainingTries,
        },
      });
    } catch (error) {
      failed(deps.logger, res, error);
    }
  });
}

function badPhone(res: Response) {
  res.status(400).json({
    error: {
      field: 'phone',
      code: 'INVALID_PHONE',
      message: '请输入11位手机号，港澳台及海外号码请加国家或地区区号（如 +852）',
    },
  });
}

function failed(logger: Logger, res: Response, error: unknown) {
  logger.error({ err: (error as Error).message }, 'customer sign-in failed');
  res.status(500).json({ error: { field: '', code: 'INTERNAL', message: '服务暂时不可用，请稍后再试' } });
}
