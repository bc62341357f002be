// Records per day as small bars: where the activity is, at a glance.
import { plural } from '../../../shared/model';
const WIDTH = 600;
const HEIGHT = 48;

export function DayChart({ days }: { days: { day: string; count: number }[] }) {
  if (days.length === 0) return null;
  const max = Math.max(...days.map((d) => d.count));
  const bar = Math.min(24, WIDTH / days.length);
  return (
    <figure className="day-chart" aria-label="Records per day">
      {/* An image hides its bars' titles from screen readers, so its name says what they say. */}
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width={WIDTH}
        height={HEIGHT}
        role="img"
        aria-label={days.map((d) => `${d.day}: ${plural(d.count, 'record')}`).join('; ')}
      >
        {days.map((d, i) => {
          const h = Math.max(1, (d.count / max) * HEIGHT);
          return (
            <rect key={d.day} x={i * bar + 1} y={HEIGHT - h} width={Math.max(1, bar - 2)} height={h} className="bar">
              <title>{`${d.day}: ${plural(d.count, 'record')}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="muted small">
        {days[0]?.day} – {days.at(-1)?.day}: {days.reduce((n, d) => n + d.count, 0)} records
      </figcaption>
    </figure>
  );
}
