const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

// "2026-11-23T09:19:50.123456Z" → "Nov 23, 2026" (in the browser's locale).
export function formatDate(value) {
  if (!value) {
    return '—';
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateFormat.format(date);
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

// "2026-11-23T09:19:50Z" → "Nov 23, 2026, 10:19 AM" (browser locale and time zone).
export function formatDateTime(value) {
  if (!value) {
    return '—';
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? String(value)
    : dateTimeFormat.format(date);
}
