-- Neovim 0.7 (Debian bookworm) as a second real LSP client of the OpenClaw Secrets server, headless:
-- open a config, receive the diagnostics, apply the "Convert to SecretRef" quick fix, run a server command.
-- Env: WS (workspace with openclaw.json), SERVER (server bundle), OUT (JSON results file).
-- Run: WS=... SERVER=... OUT=... nvim --headless -u NONE -i NONE -n -c 'luafile lsp-test.lua'
local ws, server, out = os.getenv('WS'), os.getenv('SERVER'), os.getenv('OUT')
local results = { client = 'nvim', version = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch), checks = {} }

-- Headless: nobody answers the server's questions (its "Open plan" offer); dismiss them, keep the text.
results.messages = {}
vim.lsp.handlers['window/showMessageRequest'] = function(_, params)
  table.insert(results.messages, params.message)
  return vim.NIL
end

local function check(name, ok, detail)
  table.insert(results.checks, { name = name, ok = ok and true or false, detail = detail or vim.NIL })
  return ok
end

local function finish()
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(results))
  f:close()
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(ws .. '/openclaw.json'))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  -- 0.7 has no vim.lsp.start: start_client + buf_attach_client.
  local id = vim.lsp.start_client({ name = 'openclaw-secrets', cmd = { 'node', server, '--stdio' }, root_dir = ws })
  check('server started', id ~= nil)
  vim.lsp.buf_attach_client(bufnr, id)

  local function plaintext_diagnostics()
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      local lsp = d.user_data and d.user_data.lsp or {}
      if d.source == 'openclaw-secrets' and lsp.code == 'PLAINTEXT_FOUND' then table.insert(found, d) end
    end
    return found
  end
  local got = vim.wait(20000, function() return #plaintext_diagnostics() > 0 end, 50)
  local diags = plaintext_diagnostics()
  if not check('diagnostic PLAINTEXT_FOUND received', got, got and diags[1].message or 'none within 20 s') then return end
  local d = diags[1]
  check('diagnostic message never holds the value', not d.message:find('sk-test-CANARY', 1, true), d.message)
  results.range = { startLine = d.lnum, startCharacter = d.col, endLine = d.end_lnum, endCharacter = d.end_col }

  -- 0.7 keeps only code/data in user_data.lsp: rebuild the LSP diagnostic for the codeAction context.
  local range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } }
  local lspd = { range = range, message = d.message, source = d.source, severity = d.severity,
    code = d.user_data.lsp.code, data = d.user_data.lsp.data }
  local params = { textDocument = { uri = uri }, range = range, context = { diagnostics = { lspd }, only = { 'quickfix' } } }
  local client = vim.lsp.get_client_by_id(id)
  local action
  vim.wait(10000, function()
    local resp = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 5000) or {}
    for _, r in pairs(resp) do
      for _, a in ipairs(r.result or {}) do
        if a.title and a.title:find('Convert to SecretRef', 1, true) and (action == nil or a.title:lower():find('env', 1, true)) then action = a end
      end
    end
    return action ~= nil
  end, 200)
  if not check('code action "Convert to SecretRef" offered', action ~= nil, action and action.title or 'none') then return end
  if not action.edit and not action.command and action.data then
    local resolved = client.request_sync('codeAction/resolve', action, 5000, bufnr)
    if resolved and resolved.result then action = resolved.result end
  end
  if action.edit then vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16') end
  if action.command then
    local cmd = type(action.command) == 'table' and action.command or action
    local r = client.request_sync('workspace/executeCommand', { command = cmd.command, arguments = cmd.arguments }, 10000, bufnr)
    check('code action command ran', r ~= nil and r.err == nil, r and r.err and r.err.message or vim.NIL)
  end
  local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  check('edit applied: the field is a SecretRef', text:find('"source"%s*:%s*"env"') ~= nil and not text:find('sk-test-CANARY', 1, true))
  local cleared = vim.wait(15000, function() return #plaintext_diagnostics() == 0 end, 50)
  check('diagnostic cleared after the edit', cleared)
  check('plan written beside the config', vim.fn.filereadable(ws .. '/openclaw.secrets-plan.json') == 1)

  local r = client.request_sync('workspace/executeCommand', { command = 'openclawSecrets.resolve', arguments = { { uri = uri, allowExec = false } } }, 10000, bufnr)
  check('workspace/executeCommand openclawSecrets.resolve answers', r ~= nil and r.err == nil and r.result ~= nil,
    r and (r.err and r.err.message or vim.fn.json_encode(r.result)) or 'no response')
  client.stop()
end)
if not ok then check('no Lua error', false, tostring(err)) end
finish()
