// The Cirrus Functions host shim, evaluated once in each sandboxed context (one context = one instance).
// It gives user code the Azure Functions Node programming model: CommonJS modules (require resolves only the
// function's own files), module.exports = async function (context, trigger) {...}, context.log, context.bindings,
// context.res, context.done, and a returned value as the $return binding. Data crosses the sandbox boundary only
// as JSON strings: no host object is ever handed to user code.
(function () {
  'use strict';
  const g = globalThis;
  for (const name of ['Graal', 'Java', 'Polyglot', 'load', 'loadWithNewGlobal', 'print', 'printErr', 'quit', 'read', 'readbuffer']) {
    try { delete g[name]; } catch (e) { /* not configurable: leave it */ }
  }
  const MAX_LOG_LINES = 200;
  const MAX_LOG_CHARS = 8192;
  const functions = {};

  function format(args) {
    return args.map(a => {
      if (typeof a === 'string') return a;
      try { const s = JSON.stringify(a); return s === undefined ? String(a) : s; } catch (e) { return String(a); }
    }).join(' ');
  }

  function loadModule(fn, path, cache) {
    const normalized = path.replace(/^\.\//, '');
    if (Object.prototype.hasOwnProperty.call(cache, normalized)) return cache[normalized].exports;
    const file = fn.files[normalized] !== undefined ? normalized
        : fn.files[normalized + '.js'] !== undefined ? normalized + '.js' : undefined;
    const source = file === undefined ? undefined : fn.files[file];
    if (source === undefined) {
      const e = new Error("Cannot find module '" + path + "'");
      e.code = 'MODULE_NOT_FOUND';
      throw e;
    }
    if (normalized.endsWith('.json')) {
      cache[normalized] = { exports: JSON.parse(source) };
      return cache[normalized].exports;
    }
    const module = { exports: {} };
    cache[normalized] = module;
    const require = p => {
      if (!p.startsWith('./')) {
        const e = new Error("Cannot find module '" + p + "' (only the function's own files can be required)");
        e.code = 'MODULE_NOT_FOUND';
        throw e;
      }
      return loadModule(fn, p, cache);
    };
    // a module the host parsed ahead (cached in the shared engine, so a cold start does not parse it again) is
    // run here, inside the invocation and its limits; otherwise (e.g. a syntax error) it is evaluated now
    const parsed = fn.parsed[file];
    const wrapper = parsed !== undefined ? parsed()
        : (0, eval)('(function (exports, require, module, __filename, __dirname) {' + source + '\n})');
    wrapper.call(module.exports, module.exports, require, module, normalized, '.');
    return module.exports;
  }

  function entryPoint(fn) {
    if (fn.entry === undefined) {
      const exported = loadModule(fn, fn.scriptFile, {});
      const entry = typeof exported === 'function' ? exported
          : (fn.entryPoint && exported && typeof exported[fn.entryPoint] === 'function') ? exported[fn.entryPoint]
          : (exported && typeof exported.default === 'function') ? exported.default : undefined;
      if (entry === undefined) throw new Error(fn.scriptFile + ' does not export a function');
      fn.entry = entry;
    }
    return fn.entry;
  }

  g.__cirrusDefine = function (name, filesJson, scriptFile, entryPoint) {
    functions[name] = { files: JSON.parse(filesJson), scriptFile: scriptFile, entryPoint: entryPoint, parsed: {} };
  };

  // The host hands over a module it parsed (not run) from a cached source: the same wrapper text as above.
  g.__cirrusParsed = function (name, file, parsed) {
    functions[name].parsed[file] = parsed;
  };

  // Starts one invocation; promise jobs run before control returns to the host, so the state is final unless
  // the function awaits something that never settles.
  g.__cirrusInvoke = function (name, invocationJson) {
    const invocation = JSON.parse(invocationJson);
    const logs = [];
    const state = { settled: false, logs: logs };
    const log = function () {
      if (logs.length < MAX_LOG_LINES) logs.push(format(Array.from(arguments)).slice(0, MAX_LOG_CHARS));
    };
    log.info = log; log.warn = log; log.error = log; log.verbose = log; log.trace = log;
    const context = {
      invocationId: invocation.invocationId,
      executionContext: { invocationId: invocation.invocationId, functionName: name, functionDirectory: name,
        retryContext: (invocation.bindingData && invocation.bindingData.retryContext) || null },
      bindings: Object.assign({}, invocation.bindings),
      bindingData: invocation.bindingData || {},
      log: log,
      res: undefined,
      done: function (err, result) {
        if (state.settled) return;
        state.settled = true;
        if (err) { state.error = err; } else { state.value = result; }
      }
    };
    g.console = { log: log, info: log, warn: log, error: log, debug: log };
    if (invocation.triggerName && invocation.bindings) context.req = invocation.bindings[invocation.triggerName];
    state.context = context;
    state.inputs = invocation.bindings || {};
    try {
      const fn = functions[name];
      if (!fn) throw new Error('function ' + name + ' is not loaded');
      const args = [context].concat(invocation.triggerName ? [invocation.bindings[invocation.triggerName]] : []);
      const returned = entryPoint(fn).apply(undefined, args);
      if (returned && typeof returned.then === 'function') {
        returned.then(v => { if (!state.settled) { state.settled = true; state.value = v; } },
                      e => { if (!state.settled) { state.settled = true; state.error = e; } });
      } else if (!state.settled) {
        // a synchronous function that did not call context.done: its return value is the result
        state.settled = true; state.value = returned;
      }
    } catch (e) {
      state.settled = true; state.error = e;
    }
    return state;
  };

  // The outcome of an invocation as JSON; a value that cannot be serialized is the function's error, and so is an
  // output longer than maxChars (the host sizes it to its heap: the output is copied several times on its way out).
  g.__cirrusOutcome = function (state, maxChars) {
    const base = { logs: state.logs };
    if (!state.settled) {
      base.status = 'pending';
      return JSON.stringify(base);
    }
    if (state.error !== undefined) {
      const e = state.error;
      base.status = 'error';
      base.error = (e && e.stack) ? String(e.stack) : (e && e.message) ? String(e.message) : String(e);
      return JSON.stringify(base);
    }
    try {
      base.status = 'ok';
      base.returnValue = state.value === undefined ? null : state.value;
      base.res = state.context.res === undefined ? null : state.context.res;
      // output bindings only: an input binding the function left as it was (the request, the trigger data) does
      // not travel back
      const outputs = {};
      const inputs = state.inputs || {};
      for (const key of Object.keys(state.context.bindings || {})) {
        const value = state.context.bindings[key];
        if (!Object.prototype.hasOwnProperty.call(inputs, key) || inputs[key] !== value) outputs[key] = value;
      }
      base.bindings = outputs;
      const text = JSON.stringify(base);
      if (text.length > maxChars) {
        const mb = n => (n / (1024 * 1024)).toFixed(1) + ' MB';
        return JSON.stringify({ status: 'error', code: 'OutputTooLarge', logs: state.logs,
          error: 'The function\'s output (response, return value and output bindings) is ' + mb(text.length)
            + ', over the host\'s limit of ' + mb(maxChars) });
      }
      return text;
    } catch (e) {
      return JSON.stringify({ status: 'error', logs: state.logs,
        error: 'The function returned a value that cannot be serialized to JSON: ' + String(e && e.message || e) });
    }
  };
})();
