/** Entry point: mounts the router with the app layout and the pages. */
import './lib/zod-jitless.ts';
import { Route, Router } from '@solidjs/router';
import { render } from 'solid-js/web';
import { App } from './App.tsx';
import { Dashboard } from './pages/Dashboard.tsx';
import { HistoryPage } from './pages/History.tsx';
import { Events } from './pages/Events.tsx';
import { Channels } from './pages/Channels.tsx';
import { Maintenance } from './pages/Maintenance.tsx';
import { Login } from './pages/Login.tsx';
import { Setup } from './pages/Setup.tsx';
import { Users } from './pages/Users.tsx';
import { Audit } from './pages/Audit.tsx';
import { Config } from './pages/Config.tsx';
import { Tokens } from './pages/Tokens.tsx';
import { Nodes } from './pages/Nodes.tsx';
import { NotFound } from './pages/NotFound.tsx';
import { BASE } from './lib/base.ts';
import { ComparePage } from './pages/Compare.tsx';
import { WallPage } from './pages/Wall.tsx';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import './charts.css';

render(
  () => (
    <Router root={App} base={BASE}>
      <Route path="/" component={Dashboard} />
      <Route path="/targets/:id/history" component={HistoryPage} />
      <Route path="/events" component={Events} />
      <Route path="/channels" component={Channels} />
      <Route path="/maintenance" component={Maintenance} />
      <Route path="/compare" component={ComparePage} />
      <Route path="/wall" component={WallPage} />
      <Route path="/users" component={Users} />
      <Route path="/tokens" component={Tokens} />
      <Route path="/config" component={Config} />
      <Route path="/audit" component={Audit} />
      <Route path="/nodes" component={Nodes} />
      <Route path="/login" component={Login} />
      <Route path="/setup" component={Setup} />
      <Route path="*" component={NotFound} />
    </Router>
  ),
  document.getElementById('app')!,
);
