;;; eglot-test.el --- Emacs 28 + eglot 1.9 (Debian) as a second real LSP client, in batch mode  -*- lexical-binding: t -*-
;; Open a config, receive the diagnostics (flymake), apply the "Convert to SecretRef" quick fix, run a command.
;; Env: WS, SERVER, OUT.  Run: emacs --batch -Q -l eglot-test.el
(dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
  (add-to-list 'load-path dir))
(require 'json)
(require 'eglot)

;; Batch mode: nobody answers the server's questions (its "Open plan" offer); reply null.
(cl-defmethod eglot-handle-request (_server (_method (eql window/showMessageRequest)) &key _type _message _actions)
  nil)

(defvar oc-ws (getenv "WS"))
(defvar oc-server (getenv "SERVER"))
(defvar oc-out (getenv "OUT"))
(defvar oc-checks nil)
(defvar oc-range nil)

(defun oc-check (name ok &optional detail)
  (push `((name . ,name) (ok . ,(if ok t :json-false)) (detail . ,(or detail :null))) oc-checks)
  ok)

(defun oc-finish ()
  (with-temp-file oc-out
    (insert (json-encode `((client . "emacs-eglot") (version . ,emacs-version)
                           (range . ,(or oc-range :null))
                           (checks . ,(vconcat (reverse oc-checks)))))))
  (kill-emacs 0))

(defun oc-wait (pred timeout)
  "Process server output until PRED holds or TIMEOUT seconds pass; no fixed sleep."
  (let ((deadline (+ (float-time) timeout)) (result nil))
    (while (and (not (setq result (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    result))

(defun oc-plaintext-diags ()
  (seq-filter (lambda (d)
                (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))))
                  (and lsp (equal (plist-get lsp :code) "PLAINTEXT_FOUND"))))
              (flymake-diagnostics)))

;; One function, defined before find-file switches buffers: forms read later would be evaluated with
;; the visited buffer's (dynamic) lexical-binding.
(defun oc-run ()
 (condition-case err
    (progn
      (setq eglot-server-programs `((js-mode . ("node" ,oc-server "--stdio")))
            ;; Batch mode has no one to answer "Server wants to edit ... Proceed?".
            eglot-confirm-server-initiated-edits nil)
      (find-file (expand-file-name "openclaw.json" oc-ws))
      (js-mode)
      ;; eglot-ensure needs a command loop; in batch we connect directly.
      (let* ((server (apply #'eglot--connect (eglot--guess-contact))))
        (oc-check "server started" server)
        (let ((got (oc-wait #'oc-plaintext-diags 20)))
          (when (oc-check "diagnostic PLAINTEXT_FOUND received" got)
            (let* ((diag (car (oc-plaintext-diags)))
                   (lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data diag))))
                   (range (plist-get lsp :range)))
              (oc-check "diagnostic message never holds the value"
                        (not (string-match-p "sk-test-CANARY" (plist-get lsp :message))) (plist-get lsp :message))
              (setq oc-range `((startLine . ,(plist-get (plist-get range :start) :line))
                               (startCharacter . ,(plist-get (plist-get range :start) :character))
                               (endLine . ,(plist-get (plist-get range :end) :line))
                               (endCharacter . ,(plist-get (plist-get range :end) :character))))
              (let* ((action nil))
                (oc-wait (lambda ()
                           (let ((actions (jsonrpc-request server :textDocument/codeAction
                                                           (list :textDocument (eglot--TextDocumentIdentifier)
                                                                 :range range
                                                                 :context (list :diagnostics (vector lsp) :only ["quickfix"])))))
                             (seq-doseq (a actions)
                               (when (and (string-match-p "Convert to SecretRef" (plist-get a :title))
                                          (or (null action) (string-match-p "\\benv\\b" (downcase (plist-get a :title)))))
                                 (setq action a))))
                           action)
                         10)
                (when (oc-check "code action \"Convert to SecretRef\" offered" action (and action (plist-get action :title)))
                  (when (plist-get action :edit) (eglot--apply-workspace-edit (plist-get action :edit)))
                  (let ((command (plist-get action :command)))
                    (when command
                      (oc-check "code action command ran"
                                (progn (eglot-execute-command server (plist-get command :command) (plist-get command :arguments)) t))))
                  (oc-check "edit applied: the field is a SecretRef"
                            (and (string-match-p "\"source\"[ \t]*:[ \t]*\"env\"" (buffer-string))
                                 (not (string-match-p "sk-test-CANARY" (buffer-string)))))
                  (eglot--signal-textDocument/didChange)
                  (oc-check "diagnostic cleared after the edit" (oc-wait (lambda () (null (oc-plaintext-diags))) 15))
                  (oc-check "plan written beside the config"
                            (file-exists-p (expand-file-name "openclaw.secrets-plan.json" oc-ws)))
                  (let ((result (jsonrpc-request server :workspace/executeCommand
                                                 (list :command "openclawSecrets.resolve"
                                                       :arguments (vector (list :uri (eglot--path-to-uri buffer-file-name) :allowExec :json-false))))))
                    (oc-check "workspace/executeCommand openclawSecrets.resolve answers" result (json-encode result))))))))
        (ignore-errors (eglot-shutdown server))))
   (error (oc-check "no Lisp error" nil (format "%S" err)))))
(oc-run)
(oc-finish)
