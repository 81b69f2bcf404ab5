/** Labelled values as a definition list, one `details-row` a pair (laid out by styles.css). */
export function DetailsList({ rows, className }: { rows: ReadonlyArray<readonly [label: string, value: string]>; className?: string }) {
  return (
    <dl className={className}>
      {rows.map(([label, value]) => (
        <div key={label} className="details-row">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
