import { expect, test, type Page } from '@playwright/test';
import { applyFromEditor, expectProgress, lastLine, openLab, PROMPT, run, screen, scrollback } from './lab-page';
import { watchProblems } from './site';

// Labs 1, 7 and 10 solved end to end the way a learner would: commands typed into the terminal,
// manifests written in the editor and applied, values read off the screen and saved in files.
// Lab 1 also reloads mid-lab, lab 10 right after an editor save; lab 7 also opens its share
// link in a fresh browser context.
test.describe.configure({ timeout: 90_000 });
const SHOTS = 'test-results/labs-solved';

/** The files saved from the editor, one entry per save, in the lab's saved session. */
async function savedWrites(page: Page, slug: string): Promise<string[]> {
  return page.evaluate((key) => {
    const save = JSON.parse(localStorage.getItem(key) ?? '{"events":[]}') as { events: { kind: string; path?: string }[] };
    return save.events.filter((e) => e.kind === 'write').map((e) => e.path!);
  }, `clusterpath:lab:${slug}`);
}

/** A viewport shot with the task list in view, to look at. */
async function shot(page: Page, name: string): Promise<void> {
  await page.locator('.lab-progress-label').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

test('lab 1, the traffic path: solved by typing, with a reload in the middle that resumes exactly', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page, '/labs/traffic-path/');
  await expectProgress(page, [], 4);

  await run(page, 'kubectl run debug --image=nicolaka/netshoot:v0.13 -- sleep infinity');
  expect(await run(page, 'kubectl wait --for=condition=Ready pod/debug')).toBe('pod/debug condition met');
  await expectProgress(page, ['start-a-debug-pod'], 4);

  expect(await run(page, 'kubectl exec debug -- cat /etc/resolv.conf')).toMatch(/^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local$/m);
  // The learner reads the ClusterIP off nslookup's answer and checks dig and kubectl agree.
  const answer = await run(page, 'kubectl exec debug -- nslookup web');
  const ip = /^Name:\s+web\.default\.svc\.cluster\.local\nAddress:\s+([0-9.]+)$/m.exec(answer)?.[1];
  expect(ip, answer).toBeTruthy();
  expect(await run(page, 'kubectl exec debug -- dig +short web.default.svc.cluster.local')).toBe(ip);
  expect(await run(page, 'kubectl get service web')).toMatch(new RegExp(`^web\\s+ClusterIP\\s+${ip!.replace(/\./g, '\\.')}\\s`, 'm'));
  await run(page, `echo ${ip} > ~/clusterip.txt`);
  expect(await run(page, 'kubectl exec debug -- curl -s http://web')).toContain('<title>Welcome to nginx!</title>');
  // The packet path of that curl: the ClusterIP rule, the KUBE-SVC chain's pick, the DNAT to a Pod.
  const path = page.locator('.trace-panel');
  await expect(path.getByRole('tab', { selected: true })).toContainText('TCP web:80');
  await expect(path.locator('.pp-outcome')).toContainText('Connected');
  const pathChain = /^KUBE-SERVICES → (KUBE-SVC-[A-Z2-7]{16})$/.exec((await path.locator('.pp-rule').filter({ hasText: /^KUBE-SERVICES → KUBE-SVC-/ }).first().textContent())!)![1];
  await expect(path.locator('.pp-rule').filter({ hasText: new RegExp(`^${pathChain} → KUBE-SEP-[A-Z2-7]{16}$`) }).first()).toBeVisible();
  const pathEndpoint = /DNAT → ([0-9.]+):80$/.exec((await path.locator('.pp-rule').filter({ hasText: /DNAT → / }).first().textContent())!)![1];
  await expect(path.locator('.pp-app .pp-hop-title')).toContainText(`${pathEndpoint}:80`);
  await expectProgress(page, ['start-a-debug-pod', 'name-to-clusterip'], 4);

  // Reload halfway: the same scrollback, the same tasks done, and the shell goes on from there.
  const before = scrollback(await screen(page));
  await expect.poll(() => page.evaluate(() => (JSON.parse(localStorage.getItem('clusterpath:lab:traffic-path') ?? '{"events":[]}') as { events: unknown[] }).events.length)).toBe(8);
  await page.reload();
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 20_000 });
  // Polled: the terminal draws the restored scrollback a moment after the status changes, and
  // its first prompt (before the restore) is the same as the last one.
  await expect.poll(async () => scrollback(await screen(page))).toBe(before);
  expect(await lastLine(page)).toBe(PROMPT);
  expect(before).toContain(`${PROMPT} kubectl exec debug -- nslookup web`);
  await expectProgress(page, ['start-a-debug-pod', 'name-to-clusterip'], 4);
  expect(await run(page, 'cat ~/clusterip.txt')).toBe(ip);

  // The endpoints: the EndpointSlice lists the two web Pods' IPs.
  const slices = await run(page, 'kubectl get endpointslices -l kubernetes.io/service-name=web');
  const endpoints = /^web-\S+\s+IPv4\s+80\s+(\S+)\s/m.exec(slices)?.[1]?.split(',') ?? [];
  const pods = await run(page, 'kubectl get pods -l app=web -o wide');
  const podIPs = [...pods.matchAll(/^web-\S+\s+1\/1\s+Running\s+\d+\s+\S+\s+([0-9.]+)\s/gm)].map((m) => m[1]);
  expect(endpoints.length).toBe(2);
  expect([...endpoints].sort()).toEqual([...podIPs].sort());
  expect(endpoints).toContain(pathEndpoint);
  await run(page, `echo ${endpoints.length} > ~/endpoints.txt`);
  await expectProgress(page, ['start-a-debug-pod', 'name-to-clusterip', 'count-the-endpoints'], 4);

  // The node's rules: the KUBE-SERVICES rule for the ClusterIP jumps to the KUBE-SVC chain.
  const rules = await run(page, "ssh worker iptables-save -t nat | grep 'default/web:http'");
  const chain = new RegExp(`^-A KUBE-SERVICES -d ${ip!.replace(/\./g, '\\.')}/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j (KUBE-SVC-[A-Z0-9]{16})$`, 'm').exec(rules)?.[1];
  expect(chain, rules).toBeTruthy();
  expect(chain).toBe(pathChain);
  expect(rules).toMatch(new RegExp(`^-A ${chain} -m comment --comment "default/web:http -> [0-9.]+:80" -m statistic --mode random --probability 0\\.50000000000 -j KUBE-SEP-`, 'm'));
  expect(rules).toMatch(/^-A KUBE-SEP-[A-Z0-9]{16} -p tcp -m comment --comment "default\/web:http" -m tcp -j DNAT --to-destination [0-9.]+:80$/m);
  await run(page, `echo ${chain} > ~/svc-chain.txt`);
  await expectProgress(page, ['start-a-debug-pod', 'name-to-clusterip', 'count-the-endpoints', 'find-the-node-rules'], 4);
  await shot(page, 'traffic-path-desktop');
  expect(problems).toEqual([]);
});

const DEFAULT_DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
  - Ingress
`;

const FRONTEND_TO_API = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: frontend-to-backend-api
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: backend
  policyTypes:
  - Ingress
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: frontend
    ports:
    - protocol: TCP
      port: 8080
`;

// busybox wget's message, then kubectl exec's for the non-zero exit.
const TIMED_OUT = 'wget: download timed out\ncommand terminated with exit code 1';

test('lab 7, NetworkPolicy default deny: policies written in the editor; the share link restores it in a fresh context', async ({ page, browser, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await openLab(page, '/labs/networkpolicy-default-deny/');
  await expectProgress(page, [], 3);
  const intruder = 'kubectl exec -n shop intruder -- wget -qO- -T 2 http://backend:8080/hostname';
  const frontendApi = 'kubectl exec -n shop frontend -- wget -qO- -T 2 http://backend:8080/hostname';
  const frontendAdmin = 'kubectl exec -n shop frontend -- wget -qO- -T 2 http://backend/';

  // Before any policy, everyone gets in.
  expect(await run(page, intruder)).toBe('backend');
  expect(await run(page, 'kubectl exec outsider -- wget -qO- -T 2 http://backend.shop:8080/hostname')).toBe('backend');

  await applyFromEditor(page, 'default-deny.yaml', DEFAULT_DENY, /^networkpolicy\.networking\.k8s\.io\/default-deny-ingress created$/m);
  await expectProgress(page, ['default-deny'], 3);
  expect(await run(page, intruder)).toBe(TIMED_OUT);
  // The packet path shows where it stopped: the ingress policy on the backend's node.
  const path = page.locator('.trace-panel');
  const ingress = path.locator('.pp-policy').filter({ hasText: 'NetworkPolicy ingress on worker2' });
  await expect(path.locator('.pp-outcome')).toContainText('Timed out');
  await expect(path.locator('.pp-outcome')).toContainText('ingress to shop/backend denied: isolated by default-deny-ingress; no rule allows TCP port 8080 from shop/intruder');
  await expect(ingress).toHaveClass(/pp-bad/);
  await expect(ingress).toContainText('denied (no-rule-allows)');
  // DNS still works under an ingress-only deny: the name resolves, the connection times out.
  expect(await run(page, frontendApi)).toBe(TIMED_OUT);

  await applyFromEditor(page, 'frontend-to-api.yaml', FRONTEND_TO_API, /^networkpolicy\.networking\.k8s\.io\/frontend-to-backend-api created$/m);
  await expectProgress(page, ['default-deny', 'allow-frontend-api', 'only-port-8080'], 3);
  expect(await run(page, frontendApi)).toBe('backend');
  await expect(path.locator('.pp-outcome')).toContainText('Connected');
  await expect(ingress).toContainText('allowed (allowed-by-rule)');
  await expect(path.locator('.pp-app')).toContainText('answered: HTTP 200 OK');
  expect(await run(page, frontendAdmin)).toBe(TIMED_OUT);
  await expect(path.locator('.pp-outcome')).toContainText('isolated by default-deny-ingress, frontend-to-backend-api; no rule allows TCP port 80 from shop/frontend');
  await expect(ingress).toContainText('denied (no-rule-allows)');
  expect(await run(page, intruder)).toBe(TIMED_OUT);
  const policies = await run(page, 'kubectl get networkpolicy -n shop');
  expect(policies).toMatch(/^NAME\s+POD-SELECTOR\s+AGE\ndefault-deny-ingress\s+<none>\s+\S+\nfrontend-to-backend-api\s+app=backend\s+\S+$/);

  // Share: the link opens the same session in a context with no local save.
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.locator('.lab-terminal-message')).toHaveText(/Link copied/);
  const link = await page.getByLabel('Share link').inputValue();
  expect(link).toMatch(/#s=[A-Za-z0-9_-]+$/);
  const before = scrollback(await screen(page));
  await shot(page, 'networkpolicy-desktop');
  // The fresh context is a phone: the shared session works there too.
  const fresh = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const other = await fresh.newPage();
  const otherProblems = watchProblems(other, baseURL!);
  await openLab(other, link);
  // The same scrollback as the live terminal, rows rewrapped for the phone's width (polled, as
  // after a reload: it is drawn a moment after the status changes).
  await expect.poll(async () => scrollback(await screen(other)).replace(/ +$/gm, '')).toBe(before.replace(/ +$/gm, ''));
  expect(await lastLine(other)).toBe(PROMPT);
  await expectProgress(other, ['default-deny', 'allow-frontend-api', 'only-port-8080'], 3);
  expect(await run(other, 'kubectl get networkpolicy -n shop -o name')).toBe(
    'networkpolicy.networking.k8s.io/default-deny-ingress\nnetworkpolicy.networking.k8s.io/frontend-to-backend-api',
  );
  // The files written in the editor came along, each once (Ctrl+S then Apply is one save).
  expect(await run(other, 'ls -1 ~')).toBe('default-deny.yaml\nfrontend-to-api.yaml');
  expect(await run(other, 'cat ~/frontend-to-api.yaml')).toBe(FRONTEND_TO_API.trimEnd());
  expect(await savedWrites(other, 'networkpolicy-default-deny')).toEqual(['/home/user/default-deny.yaml', '/home/user/frontend-to-api.yaml']);
  expect(await run(other, intruder)).toBe(TIMED_OUT);
  await shot(other, 'networkpolicy-shared-phone');
  expect(await other.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(otherProblems).toEqual([]);
  await fresh.close();
  expect(problems).toEqual([]);
});

const WEB_LOCAL = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
    nodePort: 30080
`;

test('lab 10, source IP and externalTrafficPolicy: the Service change applied from the editor', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page, '/labs/source-ip-external-traffic-policy/');
  await expectProgress(page, [], 3);
  const nodes = await run(page, 'kubectl get nodes -o wide');
  expect(nodes).toMatch(/^worker\s+Ready\s+.*\s172\.18\.0\.3\s/m);
  expect(nodes).toMatch(/^worker2\s+Ready\s+.*\s172\.18\.0\.4\s/m);
  expect(await run(page, 'kubectl get pods -l app=web -o wide')).toMatch(/^web-\S+\s+1\/1\s+Running\s.*\sworker2\s/m);

  // Cluster: worker forwards to worker2 and masquerades, so nginx logs worker's address.
  expect(await run(page, "curl -s -o /dev/null -w '%{http_code}\\n' http://172.18.0.3:30080/")).toBe('200');
  // The packet path: worker DNATs to the Pod on worker2 and masquerades; nginx sees worker.
  const path = page.locator('.trace-panel');
  const rule = (text: string | RegExp) => path.locator('.pp-rule').filter({ hasText: text });
  await expect(path.locator('.pp-outcome')).toContainText('Connected');
  await expect(rule(/^KUBE-NODEPORTS → KUBE-EXT-[A-Z2-7]{16}$/)).toHaveCount(1);
  await expect(rule('KUBE-POSTROUTING → MASQUERADE')).toHaveCount(1);
  await expect(path.locator('.pp-app')).toContainText('saw client 172.18.0.3:');
  const viaWorker = (await run(page, 'kubectl logs deploy/web --tail=1')).split(' ')[0];
  expect(viaWorker).toBe('172.18.0.3');
  await run(page, `echo ${viaWorker} > ~/cluster-client-ip.txt`);
  await expectProgress(page, ['see-the-snat'], 3);

  await applyFromEditor(page, 'web-local.yaml', WEB_LOCAL, /^service\/web configured$/m);
  await expectProgress(page, ['see-the-snat', 'switch-to-local'], 3);
  // Reload after the editor's save: the file was saved once (Ctrl+S, then Apply) and comes back once.
  await expect.poll(() => savedWrites(page, 'source-ip-external-traffic-policy')).toEqual(['/home/user/web-local.yaml']);
  const before = scrollback(await screen(page));
  await page.reload();
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 20_000 });
  await expect.poll(async () => scrollback(await screen(page))).toBe(before);
  expect(await lastLine(page)).toBe(PROMPT);
  expect(await savedWrites(page, 'source-ip-external-traffic-policy')).toEqual(['/home/user/web-local.yaml']);
  expect(await run(page, 'ls -1 ~')).toBe('cluster-client-ip.txt\nweb-local.yaml');
  await expectProgress(page, ['see-the-snat', 'switch-to-local'], 3);
  expect(await run(page, "ssh worker iptables-save -t filter | grep 'no local endpoints'")).toBe(
    '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/web:http has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j DROP',
  );
  expect(await run(page, "curl -s -m 3 -o /dev/null -w '%{http_code}\\n' http://172.18.0.3:30080/")).toBe('000');
  await expect(path.locator('.pp-outcome')).toContainText('Timed out');
  await expect(path.locator('.pp-outcome')).toContainText('dropped on worker by filter/KUBE-EXTERNAL-SERVICES');
  await expect(rule('KUBE-EXTERNAL-SERVICES → DROP')).toHaveCount(1);
  expect(await run(page, "curl -s -o /dev/null -w '%{http_code}\\n' http://172.18.0.4:30080/")).toBe('200');
  // On worker2: the local-endpoints chain (KUBE-SVL), no masquerade, nginx sees the workstation.
  await expect(rule(/^KUBE-EXT-[A-Z2-7]{16} → KUBE-SVL-[A-Z2-7]{16}$/)).toHaveCount(1);
  await expect(rule('KUBE-POSTROUTING → MASQUERADE')).toHaveCount(0);
  await expect(path.locator('.pp-app')).toContainText('saw client 172.18.0.1:');
  const direct = (await run(page, 'kubectl logs deploy/web --tail=1')).split(' ')[0];
  expect(direct).toBe('172.18.0.1');
  await run(page, `echo ${direct} > ~/local-client-ip.txt`);
  await expectProgress(page, ['see-the-snat', 'switch-to-local', 'real-client-ip'], 3);
  await shot(page, 'source-ip-desktop');
  expect(problems).toEqual([]);
});
