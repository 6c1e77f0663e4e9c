// The shapes a dashboard JSON file must have, from Grafana's published schema (@grafana/schema,
// the newest npm serves of the grafana pack's default image's minor version). check-dashboards.mjs
// types every dashboard, and every panel again with the options of its panel type, as these.
import type { Dashboard, Panel, RowPanel } from '@grafana/schema';
import type * as bargauge from '@grafana/schema/dist/types/raw/composable/bargauge/panelcfg/x/types.gen';
import type * as gauge from '@grafana/schema/dist/types/raw/composable/gauge/panelcfg/x/types.gen';
import type * as piechart from '@grafana/schema/dist/types/raw/composable/piechart/panelcfg/x/types.gen';
import type * as stat from '@grafana/schema/dist/types/raw/composable/stat/panelcfg/x/types.gen';
import type * as table from '@grafana/schema/dist/types/raw/composable/table/panelcfg/x/types.gen';
import type * as text from '@grafana/schema/dist/types/raw/composable/text/panelcfg/x/types.gen';
import type * as timeseries from '@grafana/schema/dist/types/raw/composable/timeseries/panelcfg/x/types.gen';

// JSON has no TypeScript enums: a string enum member is written as its value ("table" for
// LegendDisplayMode.Table). AsJson turns every string enum into the union of its values, and
// keeps everything else (numeric enums already accept their numbers).
export type AsJson<T> = T extends string
  ? `${T}`
  : T extends number | boolean | null | undefined
    ? T
    : T extends Array<infer U>
      ? Array<AsJson<U>>
      : T extends object
        ? { [K in keyof T]: AsJson<T[K]> }
        : T;

export type DashboardJson = AsJson<Dashboard>;
export type RowPanelJson = AsJson<RowPanel> & { type: 'row' };

// A panel of a known type: its options and fieldConfig.defaults.custom as that panel plugin declares them.
type Typed<Name extends string, O, C = Record<string, unknown>> = AsJson<Panel<O, C>> & {
  type: Name;
  options?: AsJson<O>;
};

export interface PanelJsonByType {
  bargauge: Typed<'bargauge', bargauge.Options>;
  gauge: Typed<'gauge', gauge.Options>;
  piechart: Typed<'piechart', piechart.Options, piechart.FieldConfig>;
  stat: Typed<'stat', stat.Options>;
  table: Typed<'table', table.Options, table.FieldConfig>;
  text: Typed<'text', text.Options>;
  timeseries: Typed<'timeseries', timeseries.Options, timeseries.FieldConfig>;
}
