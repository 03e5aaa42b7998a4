/** The read-only web inspector served by `foresight serve --inspector` under /inspect. */
export {
  INSPECTOR_PREFIX,
  type InspectorDependencies,
  registerInspectorRoutes,
} from './inspector-routes.js';
export { InspectorSessions } from './inspector-session.js';
