// The scale explorer's data shaping and CSV, and the IPVS text it sizes.
import { describe, expect, it } from 'vitest';
import { scaleRun } from '../../engine';
import { ipsetSaveText, ipvsadmSaveText } from '../../shell';
import { CHARTS, chartData } from './charts';
import { CSV_COLUMNS, toCsv } from './csv';
import { measure, sweep } from './measure';
import { countsBetween, MODES, type ScaleRow } from './rows';

let t = 0;
const now = () => (t += 0.5);

describe('scale explorer data', () => {
  it('offers the preset counts within a range, in either order', () => {
    expect(countsBetween(1_000, 10)).toEqual([10, 30, 100, 300, 1_000]);
    expect(countsBetween(3_000, 3_000)).toEqual([3_000]);
  });

  it('measures each mode at each count in order, reporting every step', () => {
    const steps: string[] = [];
    const rows: ScaleRow[] = [];
    sweep([10, 30], 2, now, (r) => rows.push(r), (m, n) => steps.push(`${m}@${n}`));
    expect(steps).toEqual(['iptables@10', 'ipvs@10', 'nftables@10', 'iptables@30', 'ipvs@30', 'nftables@30']);
    expect(rows.map((r) => `${r.mode}@${r.services}`)).toEqual(steps);
    expect(rows.every((r) => r.reached && r.textBytes > 0 && r.endpoints === 2)).toBe(true);
  });

  it('sizes IPVS mode by ipvsadm -Sn (one -A per virtual server, one -a per real server) and ipset save', () => {
    const host = scaleRun('ipvs', { services: 5, endpoints: 3, now }).host;
    const ipvs = ipvsadmSaveText(host).split('\n').filter(Boolean);
    expect(ipvs.filter((l) => l.startsWith('-A -t ')).length).toBe(5);
    expect(ipvs.filter((l) => l.startsWith('-a -t ')).length).toBe(15);
    expect(ipsetSaveText(host)).toMatch(/^create KUBE-CLUSTER-IP hash:ip,port /m);
    const row = measure('ipvs', 5, 3, now);
    expect(row.textBytes).toBeGreaterThan(ipvsadmSaveText(host).length + ipsetSaveText(host).length);
  });

  it('shapes one chart per measure with a column per mode, gaps as null', () => {
    const rows = [measure('iptables', 10, 1, now), measure('nftables', 10, 1, now), measure('iptables', 30, 1, now)];
    const spec = CHARTS.find((c) => c.id === 'programmed')!;
    const [xs, ipt, ipvs, nft] = chartData(rows, spec, MODES);
    expect(xs).toEqual([10, 30]);
    expect(ipt).toEqual([rows[0]!.programmed, rows[2]!.programmed]);
    expect(ipvs).toEqual([null, null]);
    expect(nft).toEqual([rows[1]!.programmed, null]);
  });

  it('writes CSV with a header row and CRLF line ends', () => {
    const row = measure('nftables', 10, 1, now);
    const csv = toCsv([row]);
    const [head, line, end] = csv.split('\r\n');
    expect(head).toBe(CSV_COLUMNS.join(','));
    expect(line!.split(',')).toHaveLength(CSV_COLUMNS.length);
    expect(line!.startsWith('nftables,10,1,')).toBe(true);
    expect(end).toBe('');
  });
});
