import { describe, expect, it } from 'vitest';
import { formatDay, formatDayAndTime, formatTime, isTimeZone, linkedHtml, portalLinks } from '../../functions/domain/email-format';

describe('dates in emails', () => {
  it('writes the day and time on the car park’s clock: GMT in winter, BST in summer', () => {
    expect(formatDay('2026-12-04T14:05:00.000Z')).toBe('Friday 4 December 2026');
    expect(formatTime('2026-12-04T14:05:00.000Z')).toBe('14:05');
    expect(formatDayAndTime('2026-07-01T23:30:00.000Z', 'Europe/London')).toBe('Thursday 2 July 2026 at 00:30');
    expect(formatDayAndTime('2026-07-01T23:30:00.000Z', 'America/New_York')).toBe('Wednesday 1 July 2026 at 19:30');
  });

  it('knows an IANA time zone from anything else', () => {
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('links in emails', () => {
  it('point at the portal’s pages', () => {
    const links = portalLinks('https://parking.example/');
    expect(links.invoice('in_1')).toBe('https://parking.example/my/billing?invoice=in_1');
    expect(links.payInvoice('in_1')).toBe('https://parking.example/my/billing?pay=in_1');
    expect(links.tenancy('tn_1')).toBe('https://parking.example/my/tenancies/tn_1');
    expect(links.resetPassword).toBe('https://parking.example/reset-password');
  });

  it('become an anchor in the HTML part, everything else escaped', () => {
    expect(linkedHtml('Hi <you>\n\nYour invoice: https://p.example/my/billing?invoice=in_1&x=1', 'https://p.example/my/billing?invoice=in_1&x=1', 'See this invoice')).toBe(
      '<p>Hi &#60;you&#62;</p><p><a href="https://p.example/my/billing?invoice=in_1&#38;x=1">See this invoice</a></p>',
    );
  });
});
