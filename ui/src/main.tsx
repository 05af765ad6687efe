/** Entry point: mounts the router with the app layout and the pages. */
import { Route, Router } from '@solidjs/router';
import { render } from 'solid-js/web';
import { App } from './App.tsx';
import { Dashboard } from './pages/Dashboard.tsx';
import { HistoryPage } from './pages/History.tsx';
import { Login } from './pages/Login.tsx';
import { Setup } from './pages/Setup.tsx';
import { Users } from './pages/Users.tsx';
import { Nodes } from './pages/Nodes.tsx';
import { NotFound } from './pages/NotFound.tsx';
import 'uplot/dist/uPlot.min.css';
import './styles.css';

render(
  () => (
    <Router root={App}>
      <Route path="/" component={Dashboard} />
      <Route path="/targets/:id/history" component={HistoryPage} />
      <Route path="/users" component={Users} />
      <Route path="/nodes" component={Nodes} />
      <Route path="/login" component={Login} />
      <Route path="/setup" component={Setup} />
      <Route path="*" component={NotFound} />
    </Router>
  ),
  document.getElementById('app')!,
);
