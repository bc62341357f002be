/** A filter drop-down: "Any" or one of the options (shown with underscores as spaces). */
export function FilterSelect<T extends string>(props: {
  label: string;
  value: T | '';
  options: readonly T[];
  onChange(v: T | ''): void;
}) {
  return (
    <label className="filter">
      <span>{props.label}</span>
      <select aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.target.value as T | '')}>
        <option value="">Any</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
    </label>
  );
}
