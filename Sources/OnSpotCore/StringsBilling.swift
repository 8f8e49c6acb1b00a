import Foundation

extension L10n {
    /// Plans, payments, invoices, credits and commissions (issue 5). (fr, en, pt)
    static let billing: [String: (String, String, String)] = [
        "nav.invoices": ("Factures", "Invoices", "Faturas"),
        "nav.commissions": ("Commissions", "Commissions", "Comissões"),
        "nav.credits": ("Crédits", "Credits", "Créditos"),
        "nav.admin_activities": ("Activités", "Activities", "Atividades"),
        "billing.title": ("Facturation", "Billing", "Faturamento"),
        "billing.quote": (
            "Devis : {amount} ({travellers} voyageur(s) × {days} jour(s), grille v{version})",
            "Quote: {amount} ({travellers} traveller(s) × {days} day(s), grid v{version})",
            "Orçamento: {amount} ({travellers} viajante(s) × {days} dia(s), tabela v{version})"
        ),
        "billing.paid": ("Payé : {amount}", "Paid: {amount}", "Pago: {amount}"),
        "billing.due": ("Reste à payer : {amount}", "Left to pay: {amount}", "A pagar: {amount}"),
        "billing.pay": ("Payer par carte", "Pay by card", "Pagar com cartão"),
        "light.awaiting_payment": (
            "Paiement requis : la carte d'assistance et le service commencent une fois ce voyage payé. Sans paiement, il sera libéré le {deadline} (72 heures avant le départ).",
            "Payment required: the assistance card and the service start once this trip is paid. Unpaid, it is released on {deadline} (72 hours before departure).",
            "Pagamento necessário: o cartão de assistência e o serviço começam quando esta viagem for paga. Sem pagamento, ela será liberada em {deadline} (72 horas antes da partida)."
        ),
        "trip.cancelled.unpaid_invoice": (
            "service annulé faute de paiement de la facture {number}", "service cancelled: invoice {number} unpaid",
            "serviço cancelado por falta de pagamento da fatura {number}"
        ),
        "trip.cancelled.unpaid_light": (
            "libéré faute de paiement avant le délai de 72 heures", "released: unpaid before the 72-hour deadline",
            "liberada por falta de pagamento antes do prazo de 72 horas"
        ),
        "light.card_pending": (
            "Votre assistance OnSpot sera active dès que votre agence aura finalisé l'inscription. Revenez sur ce lien un peu plus tard.",
            "Your OnSpot assistance starts as soon as your agency completes the registration. Come back to this link a little later.",
            "Sua assistência OnSpot começa assim que sua agência concluir o registro. Volte a este link um pouco mais tarde."
        ),
        "light.reminder.subject": (
            "Paiement requis pour le voyage {reference}", "Payment required for trip {reference}", "Pagamento necessário para a viagem {reference}"
        ),
        "light.reminder.body": (
            "Le voyage {reference} (forfait LIGHT) n'est pas encore payé : ses voyageurs n'ont ni carte d'assistance ni service. Payez-le avant le {deadline}, sinon il sera libéré :\n{link}",
            "Trip {reference} (LIGHT plan) is not paid yet: its travellers have no assistance card and no service. Pay for it before {deadline}, or it is released:\n{link}",
            "A viagem {reference} (plano LIGHT) ainda não foi paga: seus viajantes não têm cartão de assistência nem serviço. Pague antes de {deadline}, ou ela será liberada:\n{link}"
        ),
        "light.extra.subject": (
            "Jours ajoutés au voyage {reference} : {amount} à régler", "Days added to trip {reference}: {amount} to pay",
            "Dias adicionados à viagem {reference}: {amount} a pagar"
        ),
        "light.extra.body": (
            "Le voyage {reference} (forfait LIGHT) a été prolongé après son paiement : il reste {amount} à régler avant le départ. L'assistance continue pendant ce temps.\n{link}",
            "Trip {reference} (LIGHT plan) was lengthened after it was paid: {amount} is left to pay before departure. Assistance goes on meanwhile.\n{link}",
            "A viagem {reference} (plano LIGHT) foi prolongada após o pagamento: restam {amount} a pagar antes da partida. A assistência continua enquanto isso.\n{link}"
        ),
        "light.released.subject": (
            "Voyage {reference} libéré faute de paiement", "Trip {reference} released for lack of payment",
            "Viagem {reference} liberada por falta de pagamento"
        ),
        "light.released.body": (
            "Le voyage {reference} (forfait LIGHT) n'a pas été payé avant le {deadline} (72 heures avant le départ) : il est annulé et ses voyageurs n'ont pas d'assistance. Rien n'est facturé.",
            "Trip {reference} (LIGHT plan) was not paid before {deadline} (72 hours before departure): it is cancelled and its travellers have no assistance. Nothing is charged.",
            "A viagem {reference} (plano LIGHT) não foi paga antes de {deadline} (72 horas antes da partida): ela foi cancelada e seus viajantes não têm assistência. Nada é cobrado."
        ),
        "billing.error.credits_currency": (
            "Vos crédits sont dans la devise de l'agence : ils ne paient pas une somme dans une autre devise.",
            "Your credits are in the agency's currency: they do not pay an amount in another currency.",
            "Seus créditos estão na moeda da agência: eles não pagam um valor em outra moeda."
        ),
        "billing.trip_line": (
            "{kind} {number} : {amount}, à payer avant le {due}", "{kind} {number}: {amount}, due {due}",
            "{kind} {number}: {amount}, vencimento {due}"
        ),
        "billing.trip_credit": ("Avoir {number} : −{amount}", "Credit note {number}: −{amount}", "Nota de crédito {number}: −{amount}"),
        "invoice.kind.monthly": ("Facture mensuelle", "Monthly invoice", "Fatura mensal"),
        "invoice.kind.supplementary": ("Facture complémentaire", "Supplementary invoice", "Fatura complementar"),
        "invoice.supplementary_note": (
            "Facture complémentaire : voyages enregistrés, prolongés ou déplacés après la facture mensuelle de la période.",
            "Supplementary invoice: trips registered, lengthened or moved after the period's monthly invoice.",
            "Fatura complementar: viagens registradas, prolongadas ou transferidas após a fatura mensal do período."
        ),
        "billing.plus_pending": (
            "Sera facturé le 1er du mois précédant le départ (forfait PLUS)",
            "Will be invoiced on the 1st of the month before departure (PLUS plan)",
            "Será faturado no dia 1º do mês anterior à partida (plano PLUS)"
        ),
        "billing.refund": ("Remboursement : {amount} ({status})", "Refund: {amount} ({status})", "Reembolso: {amount} ({status})"),
        "refund_state.not_applicable": ("sans remboursement à faire", "no refund due", "sem reembolso devido"),
        "refund_state.pending": ("remboursement en cours", "refund in progress", "reembolso em andamento"),
        "refund_state.refunded": ("remboursé", "refunded", "reembolsado"),
        "refund_state.not_refundable": ("non remboursable (hors délai)", "not refundable (notice passed)", "não reembolsável (fora do prazo)"),
        "billing.payment_title": ("Paiement du service", "Service payment", "Pagamento do serviço"),
        "billing.card": ("Carte", "Card", "Cartão"),
        "billing.card_help": (
            "Cartes de test du mode développement : le paiement ne débite rien.",
            "Development-mode test cards: nothing is charged.",
            "Cartões de teste do modo de desenvolvimento: nada é cobrado."
        ),
        "billing.card_token": ("Moyen de paiement (jeton Stripe)", "Payment method (Stripe token)", "Meio de pagamento (token Stripe)"),
        "billing.error.declined": ("Carte refusée : {message}", "Card declined: {message}", "Cartão recusado: {message}"),
        "billing.error.nothing_due": ("Rien à payer pour ce voyage.", "Nothing to pay for this trip.", "Nada a pagar para esta viagem."),
        "billing.error.processing": (
            "Un paiement est déjà en cours ; attendez sa confirmation.", "A payment is already in progress; wait for its confirmation.",
            "Um pagamento já está em andamento; aguarde a confirmação."
        ),
        "billing.error.not_light": (
            "Ce voyage est facturé mensuellement (forfait PLUS).", "This trip is invoiced monthly (PLUS plan).",
            "Esta viagem é faturada mensalmente (plano PLUS)."
        ),
        "billing.error.token": ("Choisissez une carte valide.", "Choose a valid card.", "Escolha um cartão válido."),
        "billing.error.unavailable": (
            "Le prestataire de paiement ne répond pas ; rien n'a été débité, réessayez.",
            "The payment provider is not answering; nothing was charged, try again.",
            "O provedor de pagamento não responde; nada foi cobrado, tente novamente."
        ),
        "billing.processing": (
            "Paiement en cours de confirmation par la banque.", "Payment being confirmed by the bank.",
            "Pagamento em confirmação pelo banco."
        ),
        "billing.receipt": ("Reçu de paiement", "Payment receipt", "Recibo de pagamento"),
        "billing.receipt.subject": (
            "Reçu de paiement OnSpot Connect – {what}", "OnSpot Connect payment receipt – {what}",
            "Recibo de pagamento OnSpot Connect – {what}"
        ),
        "billing.receipt.body": (
            "Nous avons reçu votre paiement de {amount} pour {what} (référence {reference}).\n\nReçu : {link}",
            "We received your payment of {amount} for {what} (reference {reference}).\n\nReceipt: {link}",
            "Recebemos seu pagamento de {amount} para {what} (referência {reference}).\n\nRecibo: {link}"
        ),
        "billing.status.succeeded": ("réussi", "succeeded", "concluído"),
        "billing.status.processing": ("en cours", "processing", "em andamento"),
        "billing.status.failed": ("échoué", "failed", "falhou"),
        "billing.status.pending": ("en attente", "pending", "pendente"),
        "billing.field.amount": ("Montant", "Amount", "Valor"),
        "billing.field.date": ("Date", "Date", "Data"),
        "billing.field.reference": ("Référence", "Reference", "Referência"),
        "billing.field.status": ("État", "Status", "Situação"),
        "billing.field.due": ("Échéance", "Due", "Vencimento"),
        "billing.field.line": ("Prestation", "Service", "Serviço"),
        "billing.field.number": ("Numéro", "Number", "Número"),
        "billing.field.period": ("Départs de", "Departures of", "Partidas de"),
        "invoice.title": ("Facture {number}", "Invoice {number}", "Fatura {number}"),
        "invoice.pdf": ("Télécharger le PDF", "Download the PDF", "Baixar o PDF"),
        "invoice.seller": ("Vendeur", "Seller", "Vendedor"),
        "invoice.buyer": ("Client", "Customer", "Cliente"),
        "invoice.registration": ("Immatriculation : {number}", "Registration: {number}", "Registro: {number}"),
        "invoice.tax_id": ("Identifiant fiscal : {number}", "Tax ID: {number}", "Identificação fiscal: {number}"),
        "invoice.mention.vat": (
            "Autoliquidation : TVA non facturée, due par le preneur assujetti (article 283-2 du CGI ; article 196 de la directive 2006/112/CE).",
            "Services supplied to a taxable customer: no VAT charged, VAT to be accounted for by the customer (reverse charge, article 196 of Directive 2006/112/EC).",
            "Prestação de serviços a um sujeito passivo: IVA não faturado, autoliquidado pelo adquirente (artigo 196 da Diretiva 2006/112/CE)."
        ),
        "invoice.mention.vat_out_of_scope": (
            "TVA non applicable : prestation hors du champ de la TVA de l'Union européenne (preneur établi hors de l'UE, article 44 de la directive 2006/112/CE).",
            "No VAT: a supply outside the scope of EU VAT (customer established outside the EU, article 44 of Directive 2006/112/EC).",
            "IVA não aplicável: prestação fora do âmbito do IVA da União Europeia (adquirente estabelecido fora da UE, artigo 44 da Diretiva 2006/112/CE)."
        ),
        "account.country": ("Pays (code ISO, ex. FR)", "Country (ISO code, e.g. FR)", "País (código ISO, ex. FR)"),
        "account.error.country": (
            "Deux lettres : le code ISO du pays (FR, BE, CH…).", "Two letters: the country's ISO code (FR, BE, CH…).",
            "Duas letras: o código ISO do país (FR, BE, CH…)."
        ),
        "invoice.mention.penalties": (
            "Paiement à l'échéance indiquée, sans escompte pour paiement anticipé. En cas de retard : pénalités au taux de trois fois le taux d'intérêt légal et indemnité forfaitaire pour frais de recouvrement de 40 € (articles L441-10 et D441-5 du Code de commerce).",
            "Payment by the due date shown, no discount for early payment. Late payment: penalties at three times the French legal interest rate and a fixed recovery indemnity of 40 € (French Commercial Code, articles L441-10 and D441-5).",
            "Pagamento no vencimento indicado, sem desconto por pagamento antecipado. Em caso de atraso: multa de três vezes a taxa de juros legal francesa e indenização fixa de cobrança de 40 € (Código Comercial francês, artigos L441-10 e D441-5)."
        ),
        "credit_note.reason.cancellation": ("annulation", "cancellation", "cancelamento"),
        "credit_note.reason.shortened": ("voyage raccourci", "trip shortened", "viagem encurtada"),
        "invoice.error.pdf_unavailable": (
            "Le PDF ne peut pas être produit pour le moment ; la page de la facture s'imprime en attendant.",
            "The PDF cannot be produced right now; the invoice page prints meanwhile.",
            "O PDF não pode ser gerado agora; a página da fatura pode ser impressa enquanto isso."
        ),
        "invoice.none": ("Aucune facture.", "No invoice.", "Nenhuma fatura."),
        "invoice.issued": ("Émise le {date}", "Issued on {date}", "Emitida em {date}"),
        "invoice.total": ("Total", "Total", "Total"),
        "invoice.paid": ("Réglé", "Paid", "Pago"),
        "invoice.due": ("Reste dû", "Amount due", "Saldo devedor"),
        "invoice.status.issued": ("émise", "issued", "emitida"),
        "invoice.status.paid": ("réglée", "paid", "paga"),
        "invoice.status.cancelled": ("annulée", "cancelled", "cancelada"),
        "invoice.line.open": ("à régler", "open", "em aberto"),
        "invoice.line.paid": ("réglée", "paid", "paga"),
        "invoice.line.credited": ("avoir émis", "credited", "creditada"),
        "invoice.line.cancelled": ("service annulé (impayé)", "service cancelled (unpaid)", "serviço cancelado (não pago)"),
        "invoice.credit_notes": ("Avoirs", "Credit notes", "Notas de crédito"),
        "invoice.print": ("Imprimer", "Print", "Imprimir"),
        "invoice.redeem": ("Utiliser mes crédits", "Use my credits", "Usar meus créditos"),
        "invoice.redeem_help": ("Solde disponible : {balance}", "Available balance: {balance}", "Saldo disponível: {balance}"),
        "invoice.error.amount": (
            "Montant invalide : entre 0,01 et le reste dû.", "Invalid amount: between 0.01 and the amount due.",
            "Valor inválido: entre 0,01 e o saldo devedor."
        ),
        "invoice.error.credits": ("Crédits insuffisants.", "Not enough credits.", "Créditos insuficientes."),
        "invoice.redeemed": (
            "{amount} de crédits imputés sur la facture.", "{amount} of credits applied to the invoice.",
            "{amount} de créditos aplicados à fatura."
        ),
        "billing.dunning.reminder.subject": (
            "Rappel : facture {number} à régler", "Reminder: invoice {number} to pay", "Lembrete: fatura {number} a pagar"
        ),
        "billing.dunning.reminder.body": (
            "La prestation {line} ({amount}) de la facture {number} est à régler au plus tard le {due}.\n\n{link}",
            "Service {line} ({amount}) on invoice {number} is due by {due} at the latest.\n\n{link}",
            "O serviço {line} ({amount}) da fatura {number} vence até {due}.\n\n{link}"
        ),
        "billing.dunning.final_reminder.subject": (
            "Dernier rappel : facture {number}", "Final reminder: invoice {number}", "Último lembrete: fatura {number}"
        ),
        "billing.dunning.final_reminder.body": (
            "Dernier rappel avant annulation (article 4.2) : {line} ({amount}), échéance {due}. Sans règlement, le service sera annulé.\n\n{link}",
            "Final reminder before cancellation (clause 4.2): {line} ({amount}), due {due}. Unpaid, the service will be cancelled.\n\n{link}",
            "Último lembrete antes do cancelamento (cláusula 4.2): {line} ({amount}), vencimento {due}. Sem pagamento, o serviço será cancelado.\n\n{link}"
        ),
        "billing.dunning.cancellation.subject": (
            "Service annulé pour impayé – facture {number}", "Service cancelled for non-payment – invoice {number}",
            "Serviço cancelado por falta de pagamento – fatura {number}"
        ),
        "billing.dunning.cancellation.body": (
            "Après le dernier rappel, la prestation {line} ({amount}) de la facture {number} est annulée (article 4.2). Les voyageurs n'ont plus d'assistance pour ce voyage.\n\n{link}",
            "After the final reminder, service {line} ({amount}) on invoice {number} is cancelled (clause 4.2). The travellers no longer have assistance for this trip.\n\n{link}",
            "Após o último lembrete, o serviço {line} ({amount}) da fatura {number} foi cancelado (cláusula 4.2). Os viajantes não têm mais assistência nesta viagem.\n\n{link}"
        ),
        "credits.title": ("Crédits OnSpot", "OnSpot credits", "Créditos OnSpot"),
        "credits.balance": ("Solde : {amount}", "Balance: {amount}", "Saldo: {amount}"),
        "credits.statement": ("Relevé", "Statement", "Extrato"),
        "credits.kind.earned": ("Commission créditée", "Commission credited", "Comissão creditada"),
        "credits.kind.redeemed": ("Utilisé sur facture", "Used on an invoice", "Usado em fatura"),
        "credits.kind.exported": ("Transféré en miles", "Transferred as miles", "Transferido em milhas"),
        "credits.kind.expired": ("Expiré (inactivité)", "Expired (inactivity)", "Expirado (inatividade)"),
        "credits.kind.reversed": ("Annulé", "Reversed", "Estornado"),
        "credits.export": ("Transférer en miles (Miles Attack)", "Transfer as miles (Miles Attack)", "Transferir em milhas (Miles Attack)"),
        "credits.member": ("N° de membre Miles Attack", "Miles Attack member number", "Nº de membro Miles Attack"),
        "credits.exported": (
            "{miles} miles transférés (référence {reference}).", "{miles} miles transferred (reference {reference}).",
            "{miles} milhas transferidas (referência {reference})."
        ),
        "credits.error.member": (
            "Numéro de membre : 6 à 20 chiffres ou lettres.", "Member number: 6 to 20 digits or letters.",
            "Número de membro: 6 a 20 dígitos ou letras."
        ),
        "credits.error.partner": (
            "Le partenaire miles ne répond pas ; vos crédits sont intacts.", "The miles partner is not answering; your credits are untouched.",
            "O parceiro de milhas não responde; seus créditos estão intactos."
        ),
        "credits.policy": (
            "Chaque commission devient des crédits au centime près, dans la devise de l'agence (au taux du jour si elle est dans une autre devise, taux indiqué au relevé). Les crédits n'expirent pas.",
            "Each commission becomes credits to the cent, in the agency's currency (at the day's rate when it is in another currency, the rate shown on the statement). Credits do not expire.",
            "Cada comissão vira créditos ao centavo, na moeda da agência (à taxa do dia quando está em outra moeda, taxa indicada no extrato). Os créditos não expiram."
        ),
        "credits.policy_expiry": (
            "Chaque commission devient des crédits au centime près, dans la devise de l'agence. Les crédits expirent après {months} mois sans activité ; vous êtes prévenu {days} jours avant.",
            "Each commission becomes credits to the cent, in the agency's currency. Credits expire after {months} months without activity; you are told {days} days before.",
            "Cada comissão vira créditos ao centavo, na moeda da agência. Os créditos expiram após {months} meses sem atividade; você é avisado {days} dias antes."
        ),
        "credits.expiry_notice.subject": (
            "Vos crédits OnSpot ({amount}) expirent le {date}", "Your OnSpot credits ({amount}) expire on {date}",
            "Seus créditos OnSpot ({amount}) expiram em {date}"
        ),
        "credits.expiry_notice.body": (
            "Sans mouvement d'ici là, votre solde de {amount} de crédits OnSpot expirera le {date}. Utilisez-les sur une facture ou un voyage pour les conserver.",
            "Unless they move by then, your balance of {amount} in OnSpot credits expires on {date}. Use them on an invoice or a trip to keep them.",
            "Sem movimento até lá, seu saldo de {amount} em créditos OnSpot expira em {date}. Use-os numa fatura ou viagem para mantê-los."
        ),
        "commissions.title": ("Commissions sur activités", "Activity commissions", "Comissões sobre atividades"),
        "commissions.month": ("Mois", "Month", "Mês"),
        "commissions.field.requested": ("Demande", "Requested", "Pedido"),
        "commissions.field.traveller": ("Voyageur", "Traveller", "Viajante"),
        "commissions.field.type": ("Type", "Type", "Tipo"),
        "commissions.field.nature": ("Nature", "Nature", "Natureza"),
        "commissions.field.billed": ("Montant facturé", "Amount billed", "Valor faturado"),
        "commissions.field.commission": ("Commission", "Commission", "Comissão"),
        "commissions.not_commissionable": ("non commissionnable", "not commissionable", "não comissionável"),
        "commissions.total": ("Total du mois", "Month total", "Total do mês"),
        "activity.book": ("Réserver une activité", "Book an activity", "Reservar uma atividade"),
        "activity.booked": (
            "Activité réservée ; commission {commission}.", "Activity booked; commission {commission}.", "Atividade reservada; comissão {commission}."
        ),
        "activity.field.activity": ("Activité", "Activity", "Atividade"),
        "activity.field.card_fees": ("Frais de carte", "Card fees", "Taxas de cartão"),
        "activity.field.extra_costs": (
            "Frais annexes (apport, introduction)", "Extra costs (referral, introduction)", "Custos extras (indicação, apresentação)"
        ),
        "activity.error.unknown": (
            "Activité inconnue pour cette destination.", "Unknown activity for this destination.", "Atividade desconhecida para este destino."
        ),
        "activity.error.no_traveller": (
            "Liez d'abord ce dossier à un voyageur.", "Link this case to a traveller first.", "Vincule primeiro este caso a um viajante."
        ),
        "activity.push": ("Recommander aux voyageurs sur place", "Recommend to travellers there", "Recomendar aos viajantes no local"),
        "activity.pushed": (
            "Recommandation envoyée à {sent} voyageur(s) (dont {templates} par modèle) ; {skipped} écarté(s) (consentement, fréquence ou fenêtre).",
            "Recommendation sent to {sent} traveller(s) ({templates} by template); {skipped} left out (consent, frequency or window).",
            "Recomendação enviada a {sent} viajante(s) ({templates} por modelo); {skipped} deixado(s) de fora (consentimento, frequência ou janela)."
        ),
        "claim.title": ("Réclamations de commission", "Commission claims", "Reclamações de comissão"),
        "claim.help": (
            "Une activité réservée pour un de vos voyageurs manque au relevé ? Réclamez-la dans les {months} mois qui suivent l'activité.",
            "An activity booked for one of your travellers is missing from the report? Claim it within {months} months of the activity.",
            "Falta no relatório uma atividade reservada para um de seus viajantes? Reclame-a em até {months} meses após a atividade."
        ),
        "claim.field.trip": ("Référence du voyage", "Trip reference", "Referência da viagem"),
        "claim.field.reference": ("N° de bon du prestataire", "Supplier voucher number", "Nº do voucher do fornecedor"),
        "claim.field.note": ("Motif (obligatoire pour refuser)", "Reason (required to reject)", "Motivo (obrigatório para recusar)"),
        "claim.submit": ("Réclamer", "Claim", "Reclamar"),
        "claim.submitted": (
            "Réclamation envoyée ; OnSpot l'examine.", "Claim sent; OnSpot is reviewing it.", "Reclamação enviada; a OnSpot está analisando."
        ),
        "claim.approve": ("Accepter", "Approve", "Aprovar"),
        "claim.reject": ("Refuser", "Reject", "Recusar"),
        "claim.status.pending": ("en examen", "under review", "em análise"),
        "claim.status.approved": ("acceptée", "approved", "aprovada"),
        "claim.status.rejected": ("refusée", "rejected", "recusada"),
        "claim.error.trip": (
            "Aucun voyage de l'agence sous cette référence.", "No trip of the agency with this reference.",
            "Nenhuma viagem da agência com esta referência."
        ),
        "claim.error.date": (
            "Date d'activité invalide ou future.", "Activity date invalid or in the future.", "Data da atividade inválida ou futura."
        ),
        "claim.error.late": (
            "Délai de réclamation dépassé (4 mois après l'activité).", "Claim period over (4 months after the activity).",
            "Prazo de reclamação encerrado (4 meses após a atividade)."
        ),
        "claim.error.reference": ("N° de bon : 3 à 60 caractères.", "Voucher number: 3 to 60 characters.", "Nº do voucher: 3 a 60 caracteres."),
        "claim.error.duplicate": ("Ce bon a déjà été réclamé.", "This voucher was already claimed.", "Este voucher já foi reclamado."),
        "claim.error.decided": ("Réclamation déjà traitée.", "Claim already decided.", "Reclamação já decidida."),
        "claim.error.note": ("Un motif est requis pour refuser.", "A reason is required to reject.", "Um motivo é necessário para recusar."),
        "activity.error.fees": ("Les frais dépassent le montant facturé.", "Fees exceed the amount billed.", "As taxas excedem o valor faturado."),
        "refund_state.credited": (
            "avoir émis (rien n'était encore réglé)", "credited (nothing had been paid yet)", "creditado (nada havia sido pago ainda)"
        ),
        "account.billing_details": ("Facturation", "Billing", "Faturamento"),
        "account.billing_details_help": (
            "Ces informations figurent sur vos factures et avoirs. Le numéro de TVA intracommunautaire justifie l'autoliquidation.",
            "These details appear on your invoices and credit notes. Your intra-community VAT number supports the reverse charge.",
            "Estes dados aparecem nas suas faturas e notas de crédito. O número de IVA intracomunitário justifica a autoliquidação."
        ),
        "account.vat_number": ("N° de TVA intracommunautaire", "Intra-community VAT number", "Número de IVA intracomunitário"),
        "account.refund_preference": (
            "Quand un avoir porte sur une facture déjà réglée", "When a credit note concerns an invoice already paid",
            "Quando uma nota de crédito se refere a uma fatura já paga"
        ),
        "account.refund_preference.original_payment": (
            "rembourser sur le moyen de paiement d'origine", "refund to the original payment method", "reembolsar no meio de pagamento original"
        ),
        "account.refund_preference.credits": ("créditer en crédits OnSpot", "add it as OnSpot credits", "creditar em créditos OnSpot"),
        "account.refund_preference_help": (
            "Les montants réglés en crédits reviennent toujours en crédits (article 5 des conditions).",
            "Amounts paid with credits always come back as credits (article 5 of the terms).",
            "Valores pagos com créditos sempre voltam como créditos (artigo 5 das condições)."
        ),
        "account.billing_saved": ("Informations de facturation enregistrées.", "Billing details saved.", "Dados de faturamento salvos."),
        "account.error.vat_number": (
            "Un numéro de TVA commence par le code du pays (FR, BE…).", "A VAT number starts with its country code (FR, BE…).",
            "Um número de IVA começa com o código do país (FR, BE…)."
        ),
        "invoice.vat_number": ("TVA intracommunautaire : {number}", "VAT number: {number}", "Número de IVA: {number}"),
        "invoice.refunded": ("Remboursé", "Refunded", "Reembolsado"),
        "credit_note.title": ("Avoir {number}", "Credit note {number}", "Nota de crédito {number}"),
        "credit_note.of_invoice": ("Sur la facture", "Against invoice", "Sobre a fatura"),
        "credit_note.reason": ("Motif", "Reason", "Motivo"),
        "credit_note.deducted": (
            "Déduit du montant restant dû sur la facture.", "Deducted from the amount still due on the invoice.",
            "Deduzido do valor ainda devido na fatura."
        ),
        "credit_note.to_card": ("remboursés sur la carte", "refunded to the card", "reembolsados no cartão"),
        "credit_note.to_credits": ("rendus en crédits OnSpot", "given back as OnSpot credits", "devolvidos em créditos OnSpot"),
        "credit_note.payment_of": ("paiement du {date}", "payment of {date}", "pagamento de {date}"),
        "credits.kind.refunded": ("Avoir rendu en crédits", "Credit note given as credits", "Nota de crédito em créditos"),
        "credits.kind.commission_reversed": (
            "Commission annulée (activité annulée)", "Commission reversed (activity cancelled)", "Comissão estornada (atividade cancelada)"
        ),
        "activity.cancel": ("Annuler l'activité", "Cancel the activity", "Cancelar a atividade"),
        "activity.cancel_reason": ("Motif de l'annulation", "Reason for cancelling", "Motivo do cancelamento"),
        "activity.status.cancelled": ("annulée", "cancelled", "cancelada"),
        "activity.cancelled": (
            "{activity} annulée ; commission reprise : {reversed}.", "{activity} cancelled; commission taken back: {reversed}.",
            "{activity} cancelada; comissão estornada: {reversed}."
        ),
        "activity.error.already_cancelled": (
            "Cette activité est déjà annulée.", "This activity is already cancelled.", "Esta atividade já está cancelada."
        )
    ]
}
