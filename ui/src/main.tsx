/** Entry point: mounts the router with the app layout and the pages. */
import { Route, Router } from '@solidjs/router';
import { render } from 'solid-js/web';
import { App } from './App.tsx';
import { Dashboard } from './pages/Dashboard.tsx';
import { HistoryPage } from './pages/History.tsx';
import { Login } from './pages/Login.tsx';
import { Setup } from './pages/Setup.tsx';
import { Users } from './pages/Users.tsx';
import { NotFound } from './pages/NotFound.tsx';
import { ComparePage } from './pages/Compare.tsx';
import { WallPage } from './pages/Wall.tsx';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import './charts.css';

render(
  () => (
    <Router root={App}>
      <Route path="/" component={Dashboard} />
      <Route path="/targets/:id/history" component={HistoryPage} />
      <Route path="/compare" component={ComparePage} />
      <Route path="/wall" component={WallPage} />
      <Route path="/users" component={Users} />
      <Route path="/login" component={Login} />
      <Route path="/setup" component={Setup} />
      <Route path="*" component={NotFound} />
    </Router>
  ),
  document.getElementById('app')!,
);
