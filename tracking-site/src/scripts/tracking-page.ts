import {
  type Answer,
  myOrders,
  type Order,
  type Parcel,
  requestCode,
  SESSION_KEY,
  type TraceLine,
  verifyCode,
  watchOrders,
} from './api';

const SESSION = SESSION_KEY;

/** The typed number with its middle hidden: 138****5678, or ****4567 for a number outside the mainland. */
const maskTyped = (phone: string) =>
  /^(?:\+|00)(?!86)/.test(phone) ? `****${phone.slice(-4)}` : `${phone.slice(-11, -8)}****${phone.slice(-4)}`;

const time = (iso: string) => {
  const d = new Date(iso);
  // Shanghai time whatever the phone's zone.
  const local = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${Number(local.slice(5, 7))}月${Number(local.slice(8, 10))}日 ${local.slice(11, 16)}`;
};

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function traceList(lines: TraceLine[]): HTMLOListElement {
  return el(
    'ol',
    { className: 'trace' },
    ...lines.map((l) =>
      el(
        'li',
        {},
        el('time', { dateTime: l.at }, time(l.at)),
        l.location ? `【${l.location}】${l.text}` : l.text,
      ),
    ),
  );
}

function parcelView(p: Parcel): HTMLElement {
  const copy = el('button', { type: 'button', className: 'secondary' }, '复制');
  copy.setAttribute('aria-label', `复制运单号 ${p.waybillNo}`);
  copy.addEventListener('click', async () => {
    await navigator.clipboard?.writeText(p.waybillNo).catch(() => undefined);
    copy.textContent = '已复制';
  });
  const parts: HTMLElement[] = [
    el(
      'div',
      { className: 'waybill' },
      el('span', {}, `${p.carrierName} `, el('span', { className: 'wb' }, p.waybillNo)),
      copy,
    ),
    el('p', { className: 'meta' }, `${p.status}${p.etaText ? ` · ${p.etaText}` : ''}`),
  ];
  if (p.stalled) {
    const notice = el(
      'p',
      { className: 'stall' },
      `物流暂时没有更新：${p.stallReason ?? '快递正在处理'}。我们已联系快递跟进。`,
    );
    notice.setAttribute('role', 'note');
    parts.push(notice);
  }
  if (p.trace.length > 0) parts.push(el('details', {}, el('summary', {}, '物流详情'), traceList(p.trace)));
  return el('div', { className: 'parcel' }, ...parts);
}

function orderCard(o: Order): HTMLElement {
  const card = el(
    'article',
    { className: 'card' },
    el('h2', {}, `订单 ${o.channelOrderNo}`),
    el('p', { className: 'status' }, o.status),
    el('p', { className: 'meta' }, o.items.join('、')),
    el('p', { className: 'meta' }, `${o.receiverName} ${o.receiverPhone} ${o.receiverAddress}`),
    ...o.shipments.map(parcelView),
  );
  card.dataset.orderId = o.id;
  if (o.timeline.length > 0)
    card.append(el('details', {}, el('summary', {}, '订单进度'), traceList(o.timeline)));
  return card;
}

export function startTrackingPage(doc: Document): void {
  const $ = <T extends HTMLElement>(id: string) => doc.getElementById(id) as T;
  const phoneForm = $<HTMLFormElement>('phone-form');
  const codeForm = $<HTMLFormElement>('code-form');
  const ordersView = $('orders-view');
  const phoneInput = $<HTMLInputElement>('phone');
  const codeInput = $<HTMLInputElement>('code');
  const resend = $<HTMLButtonElement>('resend');
  let phone = '';
  let stopWatching: (() => void) | null = null;
  let countdown: ReturnType<typeof setInterval> | undefined;

  const show = (view: 'phone' | 'code' | 'orders') => {
    doc.documentElement.classList.remove('signed-in');
    phoneForm.hidden = view !== 'phone';
    codeForm.hidden = view !== 'code';
    ordersView.hidden = view !== 'orders';
  };

  const startCountdown = (seconds: number) => {
    clearInterval(countdown);
    let left = seconds;
    resend.disabled = true;
    const tick = () => {
      resend.textContent = left > 0 ? `${left}秒后重发` : '重新获取';
      resend.disabled = left > 0;
      if (left-- <= 0) clearInterval(countdown);
    };
    tick();
    countdown = setInterval(tick, 1000);
  };

  const send = async (errorId: string) => {
    const answer = await requestCode(phone);
    if (!answer.ok) {
      $(errorId).textContent = answer.error.message;
      if (answer.error.retryAfterSeconds && answer.error.code === 'RESEND_TOO_SOON')
        startCountdown(answer.error.retryAfterSeconds);
      return false;
    }
    $('code-sent').textContent = `验证码已发送至 ${maskTyped(phone)}，5分钟内有效`;
    startCountdown(answer.value.resendAfterSeconds);
    return true;
  };

  phoneForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    phone = phoneInput.value.replace(/[\s-]/g, '');
    $('phone-error').textContent = '';
    // Mainland mobiles as 11 digits; elsewhere with the country code (+852…). The server decides.
    if (!/^(?:(?:\+?86)?1[3-9]\d{9}|(?:\+|00)[1-9]\d{6,14})$/.test(phone)) {
      $('phone-error').textContent = '请输入11位手机号，港澳台及海外号码请加区号（如 +852）';
      return;
    }
    $<HTMLButtonElement>('send-code').disabled = true;
    const sent = await send('phone-error');
    $<HTMLButtonElement>('send-code').disabled = false;
    if (sent) {
      show('code');
      codeInput.focus();
    }
  });

  resend.addEventListener('click', () => {
    $('code-error').textContent = '';
    void send('code-error');
  });

  codeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const code = codeInput.value.trim();
    $('code-error').textContent = '';
    if (!/^\d{6}$/.test(code)) {
      $('code-error').textContent = '请输入6位数字验证码';
      return;
    }
    const answer = await verifyCode(phone, code);
    if (!answer.ok) {
      const tries = answer.error.remainingTries;
      $('code-error').textContent =
        answer.error.code === 'WRONG_CODE' && tries !== undefined
          ? `${answer.error.message}，还可尝试${tries}次`
          : answer.error.message;
      return;
    }
    sessionStorage.setItem(SESSION, JSON.stringify(answer.value));
    void openOrders(answer.value.token);
  });

  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(SESSION);
    stopWatching?.();
    $('orders').replaceChildren();
    show('phone');
  });

  const render = (answer: Answer<Order[]>) => {
    const list = $('orders');
    if (!answer.ok) {
      if (answer.error.code === 'UNAUTHENTICATED') {
        sessionStorage.removeItem(SESSION);
        stopWatching?.();
        $('phone-error').textContent = '登录已过期，请重新获取验证码';
        show('phone');
        return;
      }
      list.replaceChildren(
        el('p', { className: 'error', role: 'alert' } as Partial<HTMLParagraphElement>, answer.error.message),
      );
      return;
    }
    list.replaceChildren(
      ...(answer.value.length > 0
        ? answer.value.map(orderCard)
        : [el('p', { className: 'empty' }, '这个手机号下还没有订单')]),
    );
    if (!performance.getEntriesByName('orders-shown').length) performance.mark('orders-shown');
  };

  async function openOrders(token: string) {
    show('orders');
    render(await myOrders(token));
    let pending: ReturnType<typeof setTimeout> | undefined;
    stopWatching?.();
    stopWatching = watchOrders(
      token,
      () => {
        clearTimeout(pending);
        pending = setTimeout(async () => {
          render(await myOrders(token));
          $('announce').textContent = '订单状态已更新';
        }, 200);
      },
      (live) => {
        $('live').textContent = live ? '实时更新已开启' : '实时更新已断开，正在重连';
      },
    );
  }

  const saved = sessionStorage.getItem(SESSION);
  const session = saved ? (JSON.parse(saved) as { token: string; expiresAt: string }) : null;
  if (session && new Date(session.expiresAt).getTime() > Date.now()) void openOrders(session.token);
  else show('phone');
}
