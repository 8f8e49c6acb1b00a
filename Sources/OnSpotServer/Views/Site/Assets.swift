/// Hand-written CSS and the little JavaScript the portal needs, served from memory with a long cache.
enum Assets {
    static let css = """
        :root{--ink:#17212b;--muted:#5b6770;--line:#d9dee3;--bg:#f6f7f9;--brand:#0b6e6e;--danger:#b3261e;--ok:#1d6b35}
        *{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
        a{color:var(--brand)}header.top{background:#fff;border-bottom:1px solid var(--line);padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center}
        header.top .logo{font-weight:700;color:var(--brand);text-decoration:none;margin-right:auto}
        header.top nav{display:flex;flex-wrap:wrap;gap:.2rem .9rem}header.top nav a{text-decoration:none}
        main{max-width:1100px;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.4rem 0 1rem}h2{font-size:1.15rem;margin:1.4rem 0 .6rem}
        .panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem;margin-bottom:1rem}
        .narrow{max-width:460px;margin:2rem auto}
        label{display:block;font-weight:600;margin:.7rem 0 .2rem}label.check{font-weight:400;display:flex;gap:.4rem;align-items:center}
        input,select,textarea{font:inherit;width:100%;padding:.5rem;border:1px solid #aab4bd;border-radius:6px;background:#fff}
        input[type=checkbox]{width:auto}textarea{min-height:8rem}
        button,.button{font:inherit;display:inline-block;background:var(--brand);color:#fff;border:0;border-radius:6px;padding:.55rem 1rem;margin-top:.8rem;cursor:pointer;text-decoration:none}
        button.secondary{background:#fff;color:var(--brand);border:1px solid var(--brand)}button.danger{background:var(--danger)}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:0 1rem}
        .error{color:var(--danger);font-size:.92rem;margin:.2rem 0}.flash{padding:.7rem 1rem;border-radius:6px;margin-bottom:1rem;background:#e6f4ea;color:var(--ok)}
        .flash.bad{background:#fdecea;color:var(--danger)}.muted{color:var(--muted)}
        table{width:100%;border-collapse:collapse;background:#fff}th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
        .table-wrap{overflow-x:auto}.badge{display:inline-block;padding:.05rem .5rem;border-radius:999px;font-size:.82rem;background:#e8eef3}
        .badge.in_service{background:#e6f4ea}.badge.cancelled{background:#fdecea}.badge.ended{background:#eee}
        .badge.late{background:#fdecea;color:#8a1c12}tr.late td:first-child{border-left:4px solid #c0392b}
        tr.soon td:first-child{border-left:4px solid #d68910}td.sla.late{color:#8a1c12;font-weight:700}td.sla.soon{color:#8a5a00;font-weight:600}
        .unanswered{color:var(--brand)}
        fieldset{border:1px solid var(--line);border-radius:8px;margin:.8rem 0;padding:.6rem 1rem}legend{font-weight:700}fieldset.plain{border:0;margin:0;padding:0}
        .key{font-family:ui-monospace,monospace;background:#fffbe6;padding:.6rem;border:1px dashed #c9a400;word-break:break-all}
        [data-drop-file].dropping{outline:2px dashed var(--accent,#1d4ed8);outline-offset:4px}
        pre.document{white-space:pre-wrap;background:#fafafa;border:1px solid var(--line);padding:.6rem;max-height:16rem;overflow:auto}
        .inline{display:inline}.inline button{margin-top:0}
        @media (max-width:600px){main{padding:.6rem}th,td{padding:.35rem}}
        /* The expert's workspace: the conversation sized to the screen with its reply box, the context beside it. */
        .workspace{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1rem;align-items:start}
        .conversation{display:flex;flex-direction:column;min-height:22rem;height:calc(100vh - 5.5rem);position:sticky;top:.5rem}
        .conversation h1{font-size:1.2rem;margin:.2rem 0 .4rem}.conversation #sla{margin:0 0 .4rem}.case-nav{margin:0 0 .3rem}
        .thread{flex:1 1 auto;min-height:6rem;overflow-y:auto;padding:.2rem .1rem;border-top:1px solid var(--line);border-bottom:1px solid var(--line)}
        .thread .msg{padding:.5rem .7rem;margin:.4rem 0}.thread .msg div{overflow-wrap:anywhere}
        form.reply{margin:.5rem 0 0;padding:.6rem}form.reply label{margin:0}form.reply textarea{min-height:3.2rem}
        form.reply button{margin-top:.3rem}.reply-head{display:flex;gap:.5rem;align-items:center}.reply-head select{flex:1;min-width:0}
        [hidden]{display:none!important}
        .thread .note{margin:.4rem 2rem;padding:.4rem .7rem;background:#fef9c3;border:1px dashed #ca8a04;border-radius:6px}
        .thread .note small{color:#854d0e;font-weight:600}
        .thread .event{margin:.3rem auto;text-align:center;font-size:.8rem;color:#475569}
        .thread .msg.failed{border-color:#dc2626}.thread .failure{margin:.2rem 0;color:#b91c1c;font-size:.85rem}
        .thread .inline-image{display:block;max-width:min(100%,18rem);max-height:14rem;border-radius:6px;margin-top:.3rem}
        .thread audio,.thread video{display:block;max-width:100%;margin-top:.3rem}.thread .inline-video{max-height:14rem}
        .thread .transcript{margin:.3rem 0 0;padding-left:.5rem;border-left:3px solid var(--line);font-style:italic}
        .thread .location{display:inline-block;margin-top:.2rem}
        #scope tr.over-cap td{color:#b91c1c;font-weight:600}#scope .waiting{color:#9a3412}
        .approvals-waiting{border-color:#f59e0b;background:#fffbeb}.approvals-waiting ul{margin:.2rem 0;padding-left:1.1rem}
        .window-state{margin:0 0 .3rem;font-size:.85rem}.window-state[data-mode=template],.window-state[data-mode=closed]{color:#9a3412}
        fieldset.template-fields{border:0;padding:0;margin:.3rem 0;display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.3rem}
        fieldset.template-fields input{width:100%;box-sizing:border-box}.template-variable{font-size:.8rem}
        .template-preview{margin:.2rem 0;padding:.4rem .6rem;border-left:3px solid var(--line);background:#f8fafc;font-size:.9rem;max-height:6rem;overflow-y:auto}
        .context .actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-bottom:.6rem}.context .actions .button{margin-top:0}
        details.fold{background:#fff;border:1px solid var(--line);border-radius:8px;margin-bottom:.8rem;padding:.2rem .8rem}
        details.fold>summary{cursor:pointer;font-weight:700;padding:.4rem 0}details.fold .panel{border:0;padding:.4rem 0;margin:0}
        .context h2{font-size:1rem;margin:.4rem 0}.to-context{display:none}
        /* Wide screens: queue | conversation | context, the page using the whole width. */
        main:has(.workspace){max-width:1760px}.queue-column{display:none}
        @media (min-width:1280px){.workspace{grid-template-columns:minmax(13rem,1.1fr) minmax(0,3fr) minmax(0,2fr)}
          .queue-column{display:block;position:sticky;top:.5rem;height:calc(100vh - 5.5rem);overflow-y:auto}}
        .queue-title{font-weight:700;text-decoration:none}.queue-column .keys{font-size:.75rem;margin:.2rem 0 .4rem}
        .queue-list{list-style:none;margin:0;padding:0}.queue-list li{border-left:4px solid transparent;border-bottom:1px solid var(--line)}
        .queue-list li a{display:flex;flex-direction:column;padding:.35rem .5rem;text-decoration:none;color:inherit;font-size:.85rem}
        .queue-list li.current{background:#e0f2f1;border-left-color:var(--accent,#0b6e6e)}.queue-list li.late{border-left-color:#dc2626}
        .queue-list .who{font-weight:600;overflow-wrap:anywhere}.queue-list .meta{color:#475569;font-size:.78rem}
        .queue-list .due{font-size:.78rem}.queue-list li.late .due{color:#b91c1c;font-weight:600}.queue-list .unanswered{color:#0b6e6e}
        .queue-list li.selected{outline:2px solid #0b6e6e;outline-offset:-2px}
        .presence{margin:0 0 .3rem;font-size:.85rem;color:#6d28d9;font-weight:600}.presence:empty{display:none}
        #queue tbody tr.selected{outline:2px solid #0b6e6e;outline-offset:-2px}
        @media (max-width:900px){.workspace{grid-template-columns:minmax(0,1fr)}.conversation{position:static;height:calc(100svh - 7.5rem)}
          .to-context{display:inline}}
        """

    static let cardCSS = """
        body{margin:0;font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#17212b;background:#f6f7f9}
        .card{max-width:420px;margin:1rem auto;background:#fff;border-radius:12px;border-top:8px solid var(--brand,#0b6e6e);padding:1rem 1.2rem;box-shadow:0 1px 4px #0002}
        .card h1{font-size:1.2rem;margin:.2rem 0}.card img.logo{max-height:48px;max-width:180px}
        .line{display:block;margin:.5rem 0;padding:.7rem;border-radius:8px;background:#f0f5f5;color:#17212b;text-decoration:none;font-size:1.1rem}
        .line strong{display:block;font-size:.85rem;color:#5b6770}.small{font-size:.85rem;color:#5b6770}.ref{font-family:ui-monospace,monospace}
        table.hours td{padding:.1rem .6rem .1rem 0}.warn{color:#b3261e}
        @media print{@page{size:85.6mm 54mm;margin:0}body{background:#fff}
          .card{width:85.6mm;height:54mm;margin:0;padding:2.5mm 3.5mm;border-radius:0;box-shadow:none;border-top-width:2mm;overflow:hidden;font-size:6.5pt;line-height:1.25}
          .card h1{font-size:8pt}.line{margin:.6mm 0;padding:.6mm 1mm;font-size:7pt}.line strong{font-size:5.5pt}.noprint{display:none}.card img.logo{max-height:7mm}
          table.hours td{padding:0 1.5mm 0 0}}
        /* Invoices and receipts print on A4 (a named page: the card above keeps its own size). */
        @page document{size:A4;margin:15mm}
        @media print{.printable{page:document;border:0;box-shadow:none;padding:0}header.top,.no-print,.flash{display:none}
          #invoice-lines{width:100%}#invoice-lines td.num,#invoice-lines th.num{text-align:right}}
        td.num,th.num{text-align:right}
        """

    static let js = """
        document.addEventListener('click', function (e) {
          var add = e.target.closest('[data-add-traveller]');
          if (add) {
            e.preventDefault();
            var list = document.getElementById('travellers');
            var rows = list.querySelectorAll('fieldset.traveller');
            var copy = rows[rows.length - 1].cloneNode(true);
            var n = rows.length;
            copy.querySelectorAll('input,select').forEach(function (input) {
              input.name = input.name.replace(/travellers\\[\\d+\\]/, 'travellers[' + n + ']');
              if (input.id) input.id = input.id.replace(/travellers-\\d+-/, 'travellers-' + n + '-');
              if (input.type === 'checkbox') input.checked = input.defaultChecked; else if (input.tagName !== 'SELECT') input.value = '';
            });
            copy.querySelectorAll('label').forEach(function (l) { if (l.htmlFor) l.htmlFor = l.htmlFor.replace(/travellers-\\d+-/, 'travellers-' + n + '-'); });
            copy.querySelectorAll('.error').forEach(function (x) { x.remove(); });
            copy.querySelector('legend').textContent = copy.querySelector('legend').textContent.replace(/\\d+$/, String(n + 1));
            list.appendChild(copy);
          }
          var confirmer = e.target.closest('[data-confirm]');
          if (confirmer && !window.confirm(confirmer.getAttribute('data-confirm'))) e.preventDefault();
        });
        // A confirmation file dropped anywhere on the document form goes into its file input.
        ['dragover', 'dragleave', 'drop'].forEach(function (type) {
          document.addEventListener(type, function (e) {
            var zone = e.target.closest && e.target.closest('[data-drop-file]');
            if (!zone) return;
            e.preventDefault();
            zone.classList.toggle('dropping', type === 'dragover');
            if (type === 'drop' && e.dataTransfer && e.dataTransfer.files.length) {
              var input = zone.querySelector('input[type=file]');
              input.files = e.dataTransfer.files;
              var name = zone.querySelector('[data-file-name]');
              if (name) name.textContent = e.dataTransfer.files[0].name;
            }
          });
        });
        """
}
